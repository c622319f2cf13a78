#pragma once

#include "ChildProcess.h"
#include "TempDir.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rockets::test {

/// The real build/bin/rockets-server as a child process on a free port, for e2e
/// tests. Keys in `defines` are passed as `-D key=value` (e.g. the backend keys
/// from configureBackend); the log goes to `<dir>/server-<port>.log`.
class ServerProcess {
public:
    /// `extraArgs` are appended to the command line (e.g. "--config=FILE").
    ServerProcess(const TempDir& dir, std::map<std::string, std::string> defines, int port = 0,
                  std::vector<std::string> extraArgs = {});
    ~ServerProcess();

    /// Starts the process and waits until GET /healthz answers (or throws with the log).
    void start();
    /// Whether the process is still alive.
    bool running() const { return process_ && process_->running(); }
    /// SIGTERM and wait for a clean exit; returns the exit code.
    int stop();
    /// Sends `signal` to the process.
    void signal(int signal) { if (process_) process_->signal(signal); }
    /// Waits for exit up to `timeout`; the exit code, or nullopt if still running.
    std::optional<int> wait(std::chrono::milliseconds timeout) {
        return process_ ? process_->wait(timeout) : std::optional<int>(0);
    }
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
    std::vector<std::string> extraArgs_;
    std::unique_ptr<ChildProcess> process_;
};

/// Absolute path of a built binary, e.g. binaryPath("rockets-sim").
std::string binaryPath(const std::string& name);

}  // namespace rockets::test
