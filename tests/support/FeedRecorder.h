#pragma once

#include "rockets/RocketStore.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

namespace rockets::test {

/// Records what a CommittedChangeListener is told, and lets a test wait for it
/// (on a condition, with a deadline that only a broken feed reaches).
class FeedRecorder {
public:
    CommittedChangeListener listener() {
        return {[this](const Rocket& rocket) {
                    std::lock_guard lock(mutex_);
                    changed_.push_back(rocket);
                    wake_.notify_all();
                },
                [this] {
                    std::lock_guard lock(mutex_);
                    ++lost_;
                    wake_.notify_all();
                }};
    }

    /// Waits until `done(changed, lost)` holds; false when the deadline passed first.
    bool waitUntil(const std::function<bool(const std::vector<Rocket>&, int)>& done,
                   std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        std::unique_lock lock(mutex_);
        return wake_.wait_for(lock, timeout, [&] { return done(changed_, lost_); });
    }

    /// Waits until a change of `channel` at `version` arrived.
    bool waitForChange(const std::string& channel, std::int64_t version) {
        return waitUntil([&](const std::vector<Rocket>& changed, int) {
            for (const Rocket& r : changed) {
                if (r.channel == channel && r.lastMessageNumber == version) return true;
            }
            return false;
        });
    }

    /// Waits until lost() was called at least `count` times.
    bool waitForLost(int count) {
        return waitUntil([&](const std::vector<Rocket>&, int lost) { return lost >= count; });
    }

    std::vector<Rocket> changed() const {
        std::lock_guard lock(mutex_);
        return changed_;
    }

    int lost() const {
        std::lock_guard lock(mutex_);
        return lost_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Rocket> changed_;
    int lost_ = 0;
};

}  // namespace rockets::test
