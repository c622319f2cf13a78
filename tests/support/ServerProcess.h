#pragma once

#include "ChildProcess.h"
#include "TempDir.h"

#include <map>
#include <memory>
#include <string>

namespace rockets::test {

/// The real build/bin/rockets-server as a child process on a free port, for e2e
/// tests. Keys in `defines` are passed as `-D key=value` (e.g. the backend keys
/// from configureBackend); the log goes to `<dir>/server-<port>.log`.
class ServerProcess {
public:
    ServerProcess(const TempDir& dir, std::map<std::string, std::string> defines, int port = 0);
    ~ServerProcess();

    /// Starts the process and waits until GET /healthz answers (or throws with the log).
    void start();
    /// SIGTERM and wait for a clean exit; returns the exit code.
    int stop();
    /// kill -9, no clean-up.
    void kill9();

    int port() const { return port_; }
    /// e.g. "http://127.0.0.1:34567"
    std::string baseUrl() const;
    std::string log() const;

private:
    const TempDir& dir_;
    std::map<std::string, std::string> defines_;
    int port_;
    std::unique_ptr<ChildProcess> process_;
};

/// Absolute path of a built binary, e.g. binaryPath("rockets-sim").
std::string binaryPath(const std::string& name);

}  // namespace rockets::test
