#include "ReadGate.h"

namespace rockets::sqlite {

// Sequentially consistent throughout: a reader counts itself in and then checks the
// gate; the writer closes the gate and then checks the count. One of them sees the
// other (as in Dekker's algorithm).

void ReadGate::enter() {
    for (;;) {
        inside_.fetch_add(1, std::memory_order_seq_cst);
        if (!closed_.load(std::memory_order_seq_cst)) return;
        leave();
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !closed_.load(std::memory_order_seq_cst); });
    }
}

void ReadGate::leave() {
    if (inside_.fetch_sub(1, std::memory_order_seq_cst) == 1 && closed_.load(std::memory_order_seq_cst)) {
        std::lock_guard lock(mutex_);
        changed_.notify_all();
    }
}

void ReadGate::close() {
    closed_.store(true, std::memory_order_seq_cst);
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return inside_.load(std::memory_order_seq_cst) == 0; });
}

void ReadGate::open() {
    {
        std::lock_guard lock(mutex_);
        closed_.store(false, std::memory_order_seq_cst);
    }
    changed_.notify_all();
}

}  // namespace rockets::sqlite
