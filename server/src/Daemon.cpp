#include "Daemon.h"

#include <Poco/Exception.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rockets::server {

namespace {
constexpr char kReady = 'R';
/// EX_OSERR: fork or pipe failed.
constexpr int kOsError = 71;
}  // namespace

Daemon Daemon::start() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw Poco::SystemException("cannot create the daemon's start-up pipe: " + std::string(std::strerror(errno)));
    }
    const pid_t child = ::fork();
    if (child < 0) throw Poco::SystemException("cannot fork the daemon: " + std::string(std::strerror(errno)));
    if (child == 0) {
        ::close(fds[0]);
        ::setsid();
        return Daemon(fds[1]);
    }
    // The parent: wait for the child's verdict, then leave without running any of the
    // application's clean-up (the child owns it now).
    ::close(fds[1]);
    char verdict = 0;
    ssize_t n;
    while ((n = ::read(fds[0], &verdict, 1)) < 0 && errno == EINTR) {
    }
    if (n == 1 && verdict == kReady) std::_Exit(EXIT_SUCCESS);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) std::_Exit(kOsError);
    }
    if (WIFEXITED(status)) std::_Exit(WEXITSTATUS(status));
    std::_Exit(128 + WTERMSIG(status));
}

void Daemon::ready() {
    if (pipe_ < 0) return;
    // Detach first: once the parent has exited, the terminal may be gone.
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO) ::close(null);
    }
    if (::chdir("/") != 0) {
        // Relative paths were resolved at start-up; staying where we are is harmless.
    }
    const char ready = kReady;
    while (::write(pipe_, &ready, 1) < 0 && errno == EINTR) {
    }
    ::close(pipe_);
    pipe_ = -1;
}

Daemon::~Daemon() {
    if (pipe_ >= 0) ::close(pipe_);
}

}  // namespace rockets::server
