#pragma once

#include "ServiceContext.h"

#include <prometheus/collectable.h>

namespace rockets::server {

/// The metrics read when /metrics is scraped rather than counted as they happen:
/// the consumer's counters and gauges, the unapplied-messages gauge, open connections
/// and change streams, the build and the process (CPU, memory, file descriptors,
/// threads).
class ScrapedMetrics final : public prometheus::Collectable {
public:
    explicit ScrapedMetrics(ServiceContext& context) : context_(context) {}
    std::vector<prometheus::MetricFamily> Collect() const override;

private:
    ServiceContext& context_;
};

}  // namespace rockets::server
