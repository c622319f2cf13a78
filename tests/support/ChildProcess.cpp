#include "ChildProcess.h"

#include "WaitUntil.h"

#include <Poco/Exception.h>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>

extern char** environ;

namespace rockets::test {

ChildProcess::ChildProcess(std::vector<std::string> argv, std::string logFile) : logFile_(std::move(logFile)) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, logFile_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    // The test runner may block signals; the child must start with a clean mask.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    const int rc = posix_spawn(&pid_, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw Poco::SystemException("cannot start " + argv[0] + ": " + std::strerror(rc));
}

ChildProcess::~ChildProcess() {
    if (running()) {
        signal(SIGKILL);
        wait(std::chrono::seconds(10));
    }
}

bool ChildProcess::running() { return !wait(std::chrono::milliseconds(0)).has_value(); }

void ChildProcess::signal(int sig) {
    if (!exitCode_) ::kill(pid_, sig);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    // Polling: there is no portable wait-with-timeout for a pid.
    waitUntil(timeout, [&] {
        int status = 0;
        if (!exitCode_ && ::waitpid(pid_, &status, WNOHANG) == pid_) {
            exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        return exitCode_.has_value();
    });
    return exitCode_;
}

std::string ChildProcess::log() const {
    std::ifstream in(logFile_, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

RunResult runCommand(const std::vector<std::string>& argv, const std::string& logFile,
                     std::chrono::milliseconds timeout) {
    ChildProcess child(argv, logFile);
    RunResult result;
    auto code = child.wait(timeout);
    if (!code) {
        child.signal(SIGKILL);
        code = child.wait(std::chrono::seconds(10));
        result.output = "[killed after timeout]\n";
    }
    result.exitCode = code.value_or(-1);
    result.output += child.log();
    return result;
}

}  // namespace rockets::test
