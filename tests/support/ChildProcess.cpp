#include "ChildProcess.h"

#include "WaitUntil.h"

#include <Poco/Exception.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace rockets::test {

namespace {

/// In the forked child, up to execve: only async-signal-safe calls (the test process
/// has other threads, whose locks the child inherits taken). Reports a failure as its
/// errno on `errors` and exits 127.
[[noreturn]] void execChild(char* const* args, const char* logFile, pid_t parent, int errors) {
    // Killed with the test process, however it ends: a test binary that ctest kills at
    // its timeout, or that std::terminate ends, runs no destructor, and a server or
    // redis-server it started would otherwise keep running (and keep its port).
    // The signal comes when the *thread* that forked ends; the suites start children
    // from the test's main thread.
    bool ok = ::prctl(PR_SET_PDEATHSIG, SIGKILL) == 0;
    if (ok && ::getppid() != parent) ::_exit(127);  // the test process has ended already
    int fd = ok ? ::open(logFile, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;
    ok = fd >= 0 && ::dup2(fd, STDOUT_FILENO) >= 0 && ::dup2(fd, STDERR_FILENO) >= 0;
    if (fd > STDERR_FILENO) ::close(fd);
    fd = ok ? ::open("/dev/null", O_RDONLY) : -1;
    ok = fd >= 0 && ::dup2(fd, STDIN_FILENO) >= 0;
    if (fd > STDERR_FILENO) ::close(fd);
    // The test runner may block signals; the child must start with a clean mask.
    sigset_t none;
    sigemptyset(&none);
    if (ok && ::sigprocmask(SIG_SETMASK, &none, nullptr) == 0) ::execve(args[0], args, environ);
    const int error = errno;
    [[maybe_unused]] const ssize_t written = ::write(errors, &error, sizeof error);
    ::_exit(127);
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::string logFile) : logFile_(std::move(logFile)) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    // A pipe closed by a successful exec: a child that cannot start says why on it.
    int errors[2];
    if (::pipe2(errors, O_CLOEXEC) != 0) throw Poco::SystemException("cannot start " + argv[0] + ": pipe2 failed");
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    int error = errno;
    if (pid_ == 0) execChild(args.data(), logFile_.c_str(), parent, errors[1]);
    ::close(errors[1]);
    ssize_t got = sizeof error;  // fork failed: error is its errno
    if (pid_ > 0) {
        do got = ::read(errors[0], &error, sizeof error);
        while (got < 0 && errno == EINTR);
    }
    ::close(errors[0]);
    if (got == static_cast<ssize_t>(sizeof error)) {
        if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
        exitCode_ = 127;
        throw Poco::SystemException("cannot start " + argv[0] + ": " + std::strerror(error));
    }
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

bool hasEnded(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The state follows the command name, which may contain spaces and parentheses.
    const auto end = stat.rfind(')');
    if (end == std::string::npos || end + 2 >= stat.size()) return true;
    const char state = stat[end + 2];
    return state == 'Z' || state == 'X';
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
