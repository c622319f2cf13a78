// What counting costs on the hot path of POST /messages: one outcome counter and one
// latency observation per request, with the hand-written atomics of server/src/Metrics
// and with prometheus-cpp (Debian's prometheus-cpp-dev), from 1, 2 and 8 threads.
// Decision record: docs/decisions/2026-11-27-metrics.md.
#include "Metrics.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <benchmark/benchmark.h>

#include <chrono>

namespace {

void HandWrittenCountAndObserve(benchmark::State& state) {
    static rockets::server::Metrics metrics;
    std::chrono::nanoseconds elapsed{180'000};
    for (auto _ : state) {
        metrics.count(rockets::server::Outcome::Accepted);
        metrics.observeRequest(elapsed);
        elapsed += std::chrono::nanoseconds(1);
    }
}
BENCHMARK(HandWrittenCountAndObserve)->Threads(1)->Threads(2)->Threads(8);

struct PrometheusMetrics {
    prometheus::Registry registry;
    prometheus::Counter& accepted = prometheus::BuildCounter()
                                        .Name("rockets_messages_total")
                                        .Help("POST /messages requests by outcome.")
                                        .Register(registry)
                                        .Add({{"outcome", "accepted"}});
    prometheus::Histogram& latency =
        prometheus::BuildHistogram()
            .Name("rockets_http_request_duration_seconds")
            .Help("Time to handle an HTTP request.")
            .Register(registry)
            .Add({}, prometheus::Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                             0.025, 0.05, 0.1, 0.5, 1.0});
};

void PrometheusCppCountAndObserve(benchmark::State& state) {
    static PrometheusMetrics metrics;
    double seconds = 0.00018;
    for (auto _ : state) {
        metrics.accepted.Increment();
        metrics.latency.Observe(seconds);
        seconds += 1e-9;
    }
}
BENCHMARK(PrometheusCppCountAndObserve)->Threads(1)->Threads(2)->Threads(8);

}  // namespace
