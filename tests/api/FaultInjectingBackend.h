#pragma once

#include "rockets/EventStore.h"
#include "rockets/RocketStore.h"
#include "rockets/StoreBackend.h"
#include "rockets/StoreErrors.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace rockets::test {

/// Forwards to a real EventStore. While `down` is set, every call throws, like a
/// store whose disk or network is gone; while `failWrites` holds a cause, only
/// append() throws with it (disk full, read-only file) and reads still work.
/// Remembers the last write's outcome, as real backends do for health().
class FaultInjectingEventStore final : public EventStore {
public:
    explicit FaultInjectingEventStore(EventStore& inner) : inner_(inner) {}

    std::atomic<bool> down{false};

    void failWrites(std::optional<std::string> cause) {
        std::lock_guard lock(mutex_);
        writeFault_ = std::move(cause);
    }

    /// The cause of the last failed append, or nullopt when the last append succeeded.
    std::optional<std::string> lastWriteFailure() const {
        std::lock_guard lock(mutex_);
        return lastWriteFailure_;
    }

    AppendResult append(const Message& m) override {
        std::optional<std::string> fault;
        {
            std::lock_guard lock(mutex_);
            fault = down ? std::optional<std::string>(kDown) : writeFault_;
            lastWriteFailure_ = fault;
        }
        if (fault) throw StoreUnavailableException(*fault);
        return inner_.append(m);
    }
    std::vector<Message> read(const std::string& c, std::int64_t from, std::size_t max) override {
        check();
        return inner_.read(c, from, max);
    }
    ChangedChannels changedSince(std::uint64_t cursor) override {
        check();
        return inner_.changedSince(cursor);
    }

    static constexpr const char* kDown = "test: store switched off";

private:
    void check() const {
        if (down) throw StoreUnavailableException(kDown);
    }

    EventStore& inner_;
    mutable std::mutex mutex_;
    std::optional<std::string> writeFault_;
    std::optional<std::string> lastWriteFailure_;
};

/// Forwards to a real RocketStore; `afterList`, when set, runs after every list() (on
/// the caller's thread), so a test can change the store between the pages of a reader.
class HookedRocketStore final : public RocketStore {
public:
    explicit HookedRocketStore(RocketStore& inner) : inner_(inner) {}

    std::optional<Rocket> get(const std::string& channel) override { return inner_.get(channel); }
    std::vector<std::optional<Rocket>> getMany(const std::vector<std::string>& channels) override {
        return inner_.getMany(channels);
    }
    RocketPage list(const RocketQuery& query) override {
        RocketPage page = inner_.list(query);
        if (afterList) afterList(query);
        return page;
    }
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override {
        return inner_.compareAndSet(rocket, expectedVersion);
    }
    std::vector<bool> compareAndSetMany(const std::vector<RocketWrite>& writes) override {
        return inner_.compareAndSetMany(writes);
    }
    std::vector<std::pair<std::string, std::int64_t>> versions() override { return inner_.versions(); }
    bool subscribe(CommittedChangeListener listener) override { return inner_.subscribe(std::move(listener)); }

    std::function<void(const RocketQuery&)> afterList;

private:
    RocketStore& inner_;
};

/// A real backend (the memory plugin) with a FaultInjectingEventStore in front of its
/// event log and a HookedRocketStore in front of its projection. Its health follows the
/// faults as a real backend's does: unavailable while the store is down, and after a
/// failed write until a write succeeds, with the cause.
class FaultInjectingBackend final : public StoreBackend {
public:
    explicit FaultInjectingBackend(std::unique_ptr<StoreBackend> inner)
        : inner_(std::move(inner)), events_(inner_->events()), rockets_(inner_->rockets()) {}
    void open(const Poco::Util::AbstractConfiguration& config) override { inner_->open(config); }
    EventStore& events() override { return events_; }
    RocketStore& rockets() override { return rockets_; }
    StoreHealth health() override {
        if (events_.down) return StoreHealth{false, FaultInjectingEventStore::kDown};
        if (auto failure = events_.lastWriteFailure()) return StoreHealth{false, "last write failed: " + *failure};
        return inner_->health();
    }
    std::string describe() const override { return "fault-injecting " + inner_->describe(); }
    FaultInjectingEventStore& faults() { return events_; }
    HookedRocketStore& hookedRockets() { return rockets_; }

private:
    std::unique_ptr<StoreBackend> inner_;
    FaultInjectingEventStore events_;
    HookedRocketStore rockets_;
};

}  // namespace rockets::test
