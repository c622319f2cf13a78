#pragma once

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace rockets::server {

/// What became of a POST /messages request, for counting.
enum class Outcome { Accepted, Duplicate, Conflict, Invalid, TooLarge, Unauthorized, Unavailable, OverLimit, Count };

/// Why the HTTP edge closed a connection on its own.
enum class CloseReason { Rejected, RequestTimeout, IdleTimeout, OverCapacity, Count };

/// The timing of one store operation (e.g. the event store's append): its duration
/// histogram and its failure counter.
struct StoreOperationMetrics {
    prometheus::Histogram& duration;
    prometheus::Counter& failures;

    /// Records one call that took `elapsed`; `failed` when it threw.
    void observe(std::chrono::nanoseconds elapsed, bool failed) {
        duration.Observe(std::chrono::duration<double>(elapsed).count());
        if (failed) failures.Increment();
    }
};

/// The server's own metrics, kept in a prometheus-cpp registry (decision record:
/// docs/decisions/2026-11-27-metrics.md): request outcomes, request latency, the
/// edge's connections and the stores' operation latency. Values that are read at
/// scrape time (the consumer's, the process's) are passed to render() as another
/// Collectable. Thread-safe.
class Metrics {
public:
    Metrics();

    void count(Outcome outcome) { outcomes_[static_cast<std::size_t>(outcome)]->Increment(); }
    std::uint64_t total(Outcome outcome) const;

    void countClose(CloseReason reason) { closes_[static_cast<std::size_t>(reason)]->Increment(); }
    std::uint64_t total(CloseReason reason) const;

    /// Client connections open now (kept by the HTTP edge).
    std::atomic<std::int64_t> openConnections{0};

    /// Records one HTTP request's handling time.
    void observeRequest(std::chrono::nanoseconds elapsed) {
        requestDuration_->Observe(std::chrono::duration<double>(elapsed).count());
    }

    /// The metrics of `operation` on the store playing `store` ("events" or
    /// "rockets"), served by plugin `backend`; created on first use.
    StoreOperationMetrics storeOperation(const std::string& store, const std::string& backend,
                                         const std::string& operation);

    /// Every family of this registry and of `scraped`, in the Prometheus text format 0.0.4.
    std::string render(const prometheus::Collectable& scraped) const;

private:
    std::shared_ptr<prometheus::Registry> registry_;
    std::array<prometheus::Counter*, static_cast<std::size_t>(Outcome::Count)> outcomes_{};
    std::array<prometheus::Counter*, static_cast<std::size_t>(CloseReason::Count)> closes_{};
    prometheus::Histogram* requestDuration_ = nullptr;
    prometheus::Family<prometheus::Histogram>* storeDuration_ = nullptr;
    prometheus::Family<prometheus::Counter>* storeFailures_ = nullptr;
};

}  // namespace rockets::server
