#pragma once

#include "rockets/Message.h"
#include "rockets/sim/LiveCounters.h"
#include "rockets/sim/SendStats.h"
#include "rockets/sim/Target.h"

#include <chrono>
#include <vector>

namespace rockets::sim {

/// How the sender behaves; the defaults are the real test program's, except that
/// retrying is bounded by retryFor.
struct SenderSettings {
    unsigned concurrency = 3;
    /// Reuse one connection per worker and target; otherwise a new TCP connection
    /// per attempt with `Connection: close`, like the real program.
    bool keepAlive = false;
    /// Pause of each worker after each acked send.
    std::chrono::nanoseconds messageDelay{0};
    /// A send still unacknowledged this long after its first attempt has failed;
    /// 0: retried forever, as the real program does.
    std::chrono::nanoseconds retryFor = std::chrono::seconds(60);
    std::chrono::nanoseconds retryInterval = std::chrono::milliseconds(500);
    /// A request without an answer after this long is abandoned and retried.
    std::chrono::nanoseconds requestTimeout = std::chrono::seconds(10);
};

/// POSTs a plan with `concurrency` workers pulling the next send from a shared
/// cursor, so sends overtake each other the way the real program's do. Send i goes
/// to targets[i % targets.size()]. Every non-2xx answer and every connection error
/// is retried every retryInterval; when one send fails for good, no new sends start
/// and the rest count as unsent.
class Sender {
public:
    Sender(std::vector<Target> targets, SenderSettings settings);

    /// Sends everything (blocking); `live` is updated as it goes.
    SendStats run(const std::vector<Message>& sends, LiveCounters& live);

private:
    std::vector<Target> targets_;
    SenderSettings settings_;
};

}  // namespace rockets::sim
