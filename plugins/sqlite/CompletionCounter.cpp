#include "CompletionCounter.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <ctime>

namespace rockets::sqlite {

namespace {

// std::atomic<std::uint32_t> is lock-free and has the layout of the integer: the
// kernel may wait on its address.
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));

long futex(std::atomic<std::uint32_t>& word, int operation, std::uint32_t value,
           const struct timespec* timeout = nullptr) {
    return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), operation, value, timeout, nullptr, 0);
}

}  // namespace

void CompletionCounter::waitWhile(std::uint32_t seen) { sleep(seen, nullptr); }

void CompletionCounter::waitWhile(std::uint32_t seen, std::chrono::nanoseconds timeout) {
    if (timeout <= std::chrono::nanoseconds::zero()) return;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    const struct timespec relative {
        static_cast<time_t>(seconds.count()), static_cast<long>((timeout - seconds).count())
    };
    sleep(seen, &relative);
}

void CompletionCounter::sleep(std::uint32_t seen, const struct timespec* timeout) {
    // sleepers_ before the value is checked again (both sequentially consistent):
    // advance() either sees the sleeper or the kernel sees the new value.
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    if (value_.load(std::memory_order_seq_cst) == seen) futex(value_, FUTEX_WAIT_PRIVATE, seen, timeout);
    sleepers_.fetch_sub(1, std::memory_order_seq_cst);
}

void CompletionCounter::advance() {
    value_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) != 0) futex(value_, FUTEX_WAKE_PRIVATE, INT_MAX);
}

}  // namespace rockets::sqlite
