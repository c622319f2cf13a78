#include "ScrapedMetrics.h"

#include "ProcessMetrics.h"
#include "StreamHub.h"
#include "Version.h"

#include <array>

namespace rockets::server {

namespace {

using prometheus::MetricFamily;
using prometheus::MetricType;

/// One sample of a counter or gauge.
prometheus::ClientMetric sample(MetricType type, double value, std::vector<prometheus::ClientMetric::Label> labels) {
    prometheus::ClientMetric metric;
    metric.label = std::move(labels);
    if (type == MetricType::Counter) metric.counter.value = value;
    else metric.gauge.value = value;
    return metric;
}

MetricFamily family(std::string name, std::string help, MetricType type, double value,
                    std::vector<prometheus::ClientMetric::Label> labels = {}) {
    return MetricFamily{std::move(name), std::move(help), type, {sample(type, value, std::move(labels))}};
}

MetricFamily counter(std::string name, std::string help, double value) {
    return family(std::move(name), std::move(help), MetricType::Counter, value);
}

MetricFamily gauge(std::string name, std::string help, double value) {
    return family(std::move(name), std::move(help), MetricType::Gauge, value);
}

/// One sample per reason, so that a rate per reason exists from the first scrape.
MetricFamily resyncs(const std::array<std::uint64_t, StreamHub::kResyncReasons.size()>& sent) {
    MetricFamily f{"rockets_http_change_stream_resyncs_total",
                   "event: resync sent on GET /changes streams, by reason (behind: a reader fell behind; "
                   "feed_lost: the shared feed was interrupted or not listened to; restart, too_old: a Last-Event-ID that cannot resume).",
                   MetricType::Counter,
                   {}};
    for (std::size_t i = 0; i < sent.size(); ++i) {
        f.metric.push_back(
            sample(MetricType::Counter, static_cast<double>(sent[i]), {{"reason", StreamHub::kResyncReasons[i]}}));
    }
    return f;
}

template <class Atomic>
double read(const Atomic& value) {
    return static_cast<double>(value.load(std::memory_order_relaxed));
}

}  // namespace

std::vector<MetricFamily> ScrapedMetrics::Collect() const {
    const ConsumerStats& stats = context_.consumer.stats();
    std::vector<MetricFamily> families = {
        gauge("rockets_unapplied_messages",
              "Stored messages not yet applied: stored counts minus applied versions over every channel, as the "
              "stores report them (other instances' messages included), refreshed by every sweep.",
              static_cast<double>(context_.consumer.backlog().unapplied())),
        counter("rockets_messages_applied_total", "Messages this process folded into the projection.",
                read(stats.applied)),
        counter("rockets_consumer_cas_conflicts_total",
                "Projection writes this process lost to another writer (another instance) and retried.",
                read(stats.casConflicts)),
        counter("rockets_consumer_overflows_total",
                "Speed changes ignored because the speed would overflow a 64-bit integer.", read(stats.overflows)),
        counter("rockets_consumer_store_errors_total",
                "Store failures while applying messages or sweeping; the channel is retried.",
                read(stats.storeErrors)),
        counter("rockets_consumer_sweeps_total", "Completed sweeps for stored but unapplied messages.",
                read(stats.sweeps)),
        gauge("rockets_consumer_retrying_channels", "Channels waiting to retry after a store error.",
              read(stats.retrying)),
        gauge("rockets_consumer_parked_channels", "Channels set aside for unreadable data until restart.",
              read(stats.parked)),
        gauge("rockets_http_connections_open", "Client connections open.", read(context_.metrics.openConnections)),
        gauge("rockets_http_change_streams_open", "GET /changes streams open.",
              static_cast<double>(context_.streams.streams())),
        resyncs(context_.streams.resyncsSent()),
        family("rockets_build_info", "The running build: version and git revision (the value is always 1).",
               MetricType::Gauge, 1, {{"revision", std::string(revision())}, {"version", std::string(version())}}),
    };
    if (const auto process = sampleProcess()) {
        families.push_back(counter("process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                                   process->cpuSeconds));
        families.push_back(
            gauge("process_resident_memory_bytes", "Resident memory size in bytes.", process->residentBytes));
        families.push_back(
            gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", process->virtualBytes));
        families.push_back(gauge("process_open_fds", "Open file descriptors.", process->openFds));
        families.push_back(gauge("process_max_fds", "Limit on open file descriptors.", process->maxFds));
        families.push_back(gauge("process_threads", "Threads of the process.", process->threads));
        families.push_back(gauge("process_start_time_seconds", "Start time since the Unix epoch, in seconds.",
                                 process->startTimeSeconds));
    }
    return families;
}

}  // namespace rockets::server
