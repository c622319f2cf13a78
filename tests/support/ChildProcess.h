#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace rockets::test {

/// A child process (fork and exec), its stdout and stderr appended to a log file.
/// The destructor kills (SIGKILL) and reaps it if it still runs; if the test process
/// ends without it (killed at a ctest timeout, std::terminate), the kernel kills the
/// child (PR_SET_PDEATHSIG). Start children from the test's main thread: the signal
/// comes when the thread that started the child ends.
class ChildProcess {
public:
    ChildProcess(std::vector<std::string> argv, std::string logFile);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();

    /// Sends `signal` (e.g. SIGTERM, SIGKILL).
    void signal(int signal);

    /// Waits for exit up to `timeout`; the exit code (128+signal if killed), or
    /// nullopt if it still runs.
    std::optional<int> wait(std::chrono::milliseconds timeout);

    /// The log file's contents so far (for failure messages).
    std::string log() const;

private:
    std::string logFile_;
    pid_t pid_ = -1;
    std::optional<int> exitCode_;
};

/// Whether the process `pid` has ended: gone, or a zombie (one that is not our child
/// and that nobody reaped yet, as in a container whose init does not reap orphans).
bool hasEnded(pid_t pid);

/// Runs a command to completion (killed after `timeout`); its exit code and output.
struct RunResult {
    int exitCode = -1;
    std::string output;
};
RunResult runCommand(const std::vector<std::string>& argv, const std::string& logFile,
                     std::chrono::milliseconds timeout);

}  // namespace rockets::test
