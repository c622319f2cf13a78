#include "Metrics.h"

#include <prometheus/text_serializer.h>

#include <sstream>

namespace rockets::server {

namespace {

/// Request handling: from 100 µs (a duplicate on the memory store) to 1 s.
const prometheus::Histogram::BucketBoundaries kRequestBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                                 0.01,   0.025,   0.05,   0.1,   0.5,    1.0};
/// Store calls: from 25 µs (a memory read) to 5 s (a Redis timeout, an fsync on a busy disk).
const prometheus::Histogram::BucketBoundaries kStoreBuckets = {0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001,
                                                               0.0025,   0.005,   0.01,   0.025,   0.05,   0.1,
                                                               0.25,     0.5,     1.0,    2.5,     5.0};

constexpr const char* kOutcomeNames[] = {"accepted",     "duplicate",    "conflict",    "invalid",
                                         "too_large",    "unauthorized", "unavailable", "over_limit"};
constexpr const char* kCloseNames[] = {"rejected", "request_timeout", "idle_timeout", "over_capacity"};

}  // namespace

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
    auto& outcomes = prometheus::BuildCounter()
                         .Name("rockets_messages_total")
                         .Help("POST /messages requests by outcome.")
                         .Register(*registry_);
    for (std::size_t i = 0; i < outcomes_.size(); ++i) outcomes_[i] = &outcomes.Add({{"outcome", kOutcomeNames[i]}});
    auto& closes = prometheus::BuildCounter()
                       .Name("rockets_http_connections_closed_total")
                       .Help("Connections the server closed: malformed or ambiguous request, request not received "
                             "in time, idle keep-alive, over the connection or queue limits.")
                       .Register(*registry_);
    for (std::size_t i = 0; i < closes_.size(); ++i) closes_[i] = &closes.Add({{"reason", kCloseNames[i]}});
    requestDuration_ = &prometheus::BuildHistogram()
                            .Name("rockets_http_request_duration_seconds")
                            .Help("Time to handle an HTTP request, from its complete arrival to its answer.")
                            .Register(*registry_)
                            .Add({}, kRequestBuckets);
    storeDuration_ = &prometheus::BuildHistogram()
                          .Name("rockets_store_operation_duration_seconds")
                          .Help("Duration of a store call by store (events, rockets), backend plugin and "
                                "operation, failed calls included.")
                          .Register(*registry_);
    storeFailures_ = &prometheus::BuildCounter()
                          .Name("rockets_store_operation_failures_total")
                          .Help("Store calls that threw (store unavailable or data unusable), by store, backend "
                                "plugin and operation.")
                          .Register(*registry_);
}

std::uint64_t Metrics::total(Outcome outcome) const {
    return static_cast<std::uint64_t>(outcomes_[static_cast<std::size_t>(outcome)]->Value());
}

std::uint64_t Metrics::total(CloseReason reason) const {
    return static_cast<std::uint64_t>(closes_[static_cast<std::size_t>(reason)]->Value());
}

StoreOperationMetrics Metrics::storeOperation(const std::string& store, const std::string& backend,
                                              const std::string& operation) {
    const prometheus::Labels labels = {{"store", store}, {"backend", backend}, {"operation", operation}};
    return {storeDuration_->Add(labels, kStoreBuckets), storeFailures_->Add(labels)};
}

std::string Metrics::render(const prometheus::Collectable& scraped) const {
    std::vector<prometheus::MetricFamily> families = registry_->Collect();
    for (auto& family : scraped.Collect()) families.push_back(std::move(family));
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, families);
    return out.str();
}

}  // namespace rockets::server
