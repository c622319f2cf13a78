#pragma once

#include "rockets/sim/LiveCounters.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <thread>

namespace rockets::sim {

/// Shows sending progress from a background thread: a bar redrawn in place (for a
/// terminal) or a plain line every few seconds (for logs and CI).
class ProgressReporter {
public:
    enum class Style { Bar, Lines };

    ProgressReporter(std::ostream& out, Style style, std::size_t total, const LiveCounters& live);
    ~ProgressReporter();
    ProgressReporter(const ProgressReporter&) = delete;
    ProgressReporter& operator=(const ProgressReporter&) = delete;

    /// Starts the display thread.
    void start();

    /// Stops the thread and prints the final state once.
    void stop();

private:
    void loop();
    void render(bool final);

    std::ostream& out_;
    Style style_;
    std::size_t total_;
    const LiveCounters& live_;
    std::chrono::steady_clock::time_point started_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace rockets::sim
