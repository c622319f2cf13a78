#include "ChildProcess.h"

#include <Poco/Exception.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/Net/ServerSocket.h>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>

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
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exitCode_) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
        // Polling a child's exit: there is no portable wait-with-timeout for a pid.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return exitCode_;
}

std::string ChildProcess::log() const {
    try {
        Poco::FileInputStream in(logFile_);
        std::ostringstream out;
        Poco::StreamCopier::copyStream(in, out);
        return out.str();
    } catch (const Poco::Exception&) {
        return {};
    }
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

int freePort() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

}  // namespace rockets::test
