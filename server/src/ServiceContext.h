#pragma once

#include "Metrics.h"
#include "Settings.h"
#include "StreamHub.h"

#include "rockets/EventStore.h"
#include "rockets/OrderingConsumer.h"
#include "rockets/RocketStore.h"
#include "rockets/Stores.h"

namespace rockets::server {

/// What request handlers share: settings, the stores, the consumer to notify, the
/// metrics to count into and the change streams. Owned by Service; outlives every handler.
struct ServiceContext {
    const Settings& settings;
    Stores& stores;
    EventStore& events;
    RocketStore& rockets;
    OrderingConsumer& consumer;
    Metrics& metrics;
    StreamHub& streams;
};

}  // namespace rockets::server
