#include "rockets/sim/StopSignals.h"

#include <atomic>

namespace rockets::sim {

namespace {

std::atomic<bool> stopRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

void requestStop(int) { stopRequested.store(true); }

}  // namespace

StopSignals::StopSignals() {
    stopRequested.store(false);
    struct sigaction action {};
    action.sa_handler = requestStop;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a blocking call returns EINTR and the loop looks at the flag.
    sigaction(SIGINT, &action, &previousInt_);
    sigaction(SIGTERM, &action, &previousTerm_);
}

StopSignals::~StopSignals() {
    sigaction(SIGINT, &previousInt_, nullptr);
    sigaction(SIGTERM, &previousTerm_, nullptr);
}

bool StopSignals::requested() const { return stopRequested.load(); }

}  // namespace rockets::sim
