#pragma once

#include "Metrics.h"
#include "Settings.h"
#include "StreamHub.h"

#include "rockets/EventStore.h"
#include "rockets/LogThrottle.h"
#include "rockets/OrderingConsumer.h"
#include "rockets/RocketStore.h"
#include "rockets/Stores.h"

namespace rockets::server {

/// What request handlers share: settings, the stores (`events` and `rockets` are the
/// timed ones), the consumer to notify, the metrics to count into, the change streams
/// and the throttle for warnings that repeat during an outage. Owned by Service;
/// outlives every handler.
struct ServiceContext {
    const Settings& settings;
    Stores& stores;
    EventStore& events;
    RocketStore& rockets;
    OrderingConsumer& consumer;
    Metrics& metrics;
    StreamHub& streams;
    LogThrottle& throttle;
};

}  // namespace rockets::server
