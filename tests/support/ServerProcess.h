#pragma once

#include "ChildProcess.h"
#include "TempDir.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rockets::test {

/// The real build/bin/rockets-server as a child process for e2e tests. It binds
/// port 0 and reports the port it got through --port-file, so parallel tests
/// never race for a port. Keys in `defines` are passed as `-D key=value` (e.g. the
/// backend keys from configureBackend); the log goes to `<dir>/server-<n>.log`.
class ServerProcess {
public:
    /// `extraArgs` are appended to the command line (e.g. "--config=FILE").
    ServerProcess(const TempDir& dir, std::map<std::string, std::string> defines,
                  std::vector<std::string> extraArgs = {});
    ~ServerProcess();

    /// Starts the process and waits until it listens (or throws with the log).
    /// After a stop or kill9, starts it again on the same data and log, on a new port.
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

    /// The process id of the current run.
    pid_t pid() const { return process_ ? process_->pid() : -1; }
    /// The port of the current run; 0 before start().
    int port() const { return port_; }
    /// e.g. "http://127.0.0.1:34567"
    std::string baseUrl() const;
    std::string log() const;

private:
    const TempDir& dir_;
    std::map<std::string, std::string> defines_;
    std::vector<std::string> extraArgs_;
    std::string name_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

/// Absolute path of a built binary, e.g. binaryPath("rockets-sim").
std::string binaryPath(const std::string& name);

/// The port in a file written by `rockets-server --port-file`; nullopt while the
/// file does not exist (the server writes it whole, by renaming, once it listens).
std::optional<int> readPortFile(const std::string& path);

/// Waits until `server`, started with `--port-file=<portFile>`, listens and returns
/// its port; throws with the server's log if it exits first or `timeout` passes.
int awaitPortFile(ChildProcess& server, const std::string& portFile, std::chrono::milliseconds timeout);

}  // namespace rockets::test
