#pragma once

#include <chrono>
#include <thread>

namespace rockets::test {

/// Checks `condition` every `interval` until it holds (true) or `timeout` has
/// passed (false). For states of another process, a socket or a file, where there
/// is nothing to block on; every such wait in the tests has this deadline.
template <class Condition>
bool waitUntil(std::chrono::milliseconds timeout, Condition&& condition,
               std::chrono::milliseconds interval = std::chrono::milliseconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(interval);
    }
    return true;
}

}  // namespace rockets::test
