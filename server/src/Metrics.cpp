#include "Metrics.h"

#include <sstream>

namespace rockets::server {

void Metrics::observeRequest(std::chrono::nanoseconds elapsed) {
    const double seconds = std::chrono::duration<double>(elapsed).count();
    std::size_t bucket = 0;
    while (bucket < kBucketsSeconds.size() && seconds > kBucketsSeconds[bucket]) ++bucket;
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    requestNanos_.fetch_add(static_cast<std::uint64_t>(elapsed.count()), std::memory_order_relaxed);
}

std::string Metrics::render(const std::string& extra) const {
    static constexpr const char* kOutcomeNames[] = {"accepted",     "duplicate",    "conflict",   "invalid",
                                                    "too_large",    "unauthorized", "unavailable", "over_limit"};
    std::ostringstream out;
    out << "# HELP rockets_messages_total POST /messages requests by outcome.\n"
        << "# TYPE rockets_messages_total counter\n";
    for (std::size_t i = 0; i < static_cast<std::size_t>(Outcome::Count); ++i) {
        out << "rockets_messages_total{outcome=\"" << kOutcomeNames[i] << "\"} " << outcomes_[i].load() << '\n';
    }
    out << "# HELP rockets_http_request_duration_seconds Time to handle an HTTP request.\n"
        << "# TYPE rockets_http_request_duration_seconds histogram\n";
    static constexpr const char* kCloseNames[] = {"rejected", "request_timeout", "idle_timeout", "over_capacity"};
    out << "# HELP rockets_http_connections_open Client connections open.\n"
        << "# TYPE rockets_http_connections_open gauge\n"
        << "rockets_http_connections_open " << openConnections.load() << '\n'
        << "# HELP rockets_http_connections_closed_total Connections the server closed: malformed or ambiguous "
           "request, request not received in time, idle keep-alive, over the connection or queue limits.\n"
        << "# TYPE rockets_http_connections_closed_total counter\n";
    for (std::size_t i = 0; i < static_cast<std::size_t>(CloseReason::Count); ++i) {
        out << "rockets_http_connections_closed_total{reason=\"" << kCloseNames[i] << "\"} " << closes_[i].load()
            << '\n';
    }
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
        cumulative += buckets_[i].load();
        out << "rockets_http_request_duration_seconds_bucket{le=\"" << kBucketsSeconds[i] << "\"} " << cumulative
            << '\n';
    }
    cumulative += buckets_[kBucketsSeconds.size()].load();
    out << "rockets_http_request_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << '\n'
        << "rockets_http_request_duration_seconds_sum " << static_cast<double>(requestNanos_.load()) / 1e9 << '\n'
        << "rockets_http_request_duration_seconds_count " << cumulative << '\n'
        << extra;
    return out.str();
}

}  // namespace rockets::server
