#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>

namespace rockets::sqlite {

/// A counter of finished transactions that callers sleep on until it moves (a Linux
/// futex on the counter). advance() wakes every sleeper with one system call, and
/// none when nobody sleeps; waiters do not spin or yield, which on a busy machine
/// would hand the processor to anyone but the thread that is committing.
class CompletionCounter {
public:
    /// The current value; read it before checking what you wait for.
    std::uint32_t value() const { return value_.load(std::memory_order_seq_cst); }

    /// Sleeps until the value is no longer `seen` (may return spuriously: check again).
    void waitWhile(std::uint32_t seen);

    /// The same for at most `timeout`.
    void waitWhile(std::uint32_t seen, std::chrono::nanoseconds timeout);

    /// Moves the value and wakes every sleeper.
    void advance();

private:
    /// waitWhile with an optional relative timeout (nullptr: none).
    void sleep(std::uint32_t seen, const struct timespec* timeout);

    std::atomic<std::uint32_t> value_{0};
    std::atomic<std::uint32_t> sleepers_{0};
};

}  // namespace rockets::sqlite
