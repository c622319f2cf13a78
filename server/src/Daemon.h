#pragma once

namespace rockets::server {

/// Runs the server in the background only once its start-up has succeeded, so that
/// every start-up failure still reaches the terminal and the exit status of the
/// command that started it. start() forks before any thread exists; the parent
/// waits, and exits 0 when the child reports ready(), or with the child's own exit
/// status (and after its error line on stderr) when the child exits first.
class Daemon {
public:
    /// Forks. Returns only in the child, which is a new session's leader with the
    /// umask already set; the parent never returns.
    static Daemon start();

    /// Start-up succeeded: lets the parent exit 0, then detaches from the terminal
    /// (stdin, stdout and stderr on /dev/null; working directory "/").
    void ready();

    Daemon(Daemon&& other) noexcept : pipe_(other.pipe_) { other.pipe_ = -1; }
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;
    /// Closes the pipe: a child that never became ready tells its parent to look at its exit status.
    ~Daemon();

private:
    explicit Daemon(int pipe) : pipe_(pipe) {}
    int pipe_;  ///< write end to the waiting parent; -1 once ready
};

}  // namespace rockets::server
