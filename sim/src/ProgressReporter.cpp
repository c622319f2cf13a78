#include "rockets/sim/ProgressReporter.h"

#include <cstdio>
#include <string>

namespace rockets::sim {

ProgressReporter::ProgressReporter(std::ostream& out, Style style, std::size_t total, const LiveCounters& live)
    : out_(out), style_(style), total_(total), live_(live) {}

ProgressReporter::~ProgressReporter() { stop(); }

void ProgressReporter::start() {
    started_ = std::chrono::steady_clock::now();
    thread_ = std::thread([this] { loop(); });
}

void ProgressReporter::stop() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    render(true);
}

void ProgressReporter::loop() {
    const auto interval = style_ == Style::Bar ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) render(false);
}

void ProgressReporter::render(bool final) {
    const std::size_t acked = live_.acked.load();
    const std::size_t retries = live_.retries.load();
    const std::size_t failed = live_.failed.load();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const double rate = seconds > 0 ? static_cast<double>(acked) / seconds : 0;
    const double fraction = total_ > 0 ? static_cast<double>(acked + failed) / static_cast<double>(total_) : 1;
    char numbers[160];
    std::snprintf(numbers, sizeof numbers, "%3.0f%% %zu/%zu  %.0f msg/s  retries %zu  failed %zu", fraction * 100,
                  acked, total_, rate, retries, failed);
    if (style_ == Style::Bar) {
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(fraction * kWidth);
        const std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '.');
        out_ << "\r[" << bar << "] " << numbers << "\x1b[K";
        if (final) out_ << '\n';
    } else {
        out_ << "progress: " << numbers << '\n';
    }
    out_.flush();
}

}  // namespace rockets::sim
