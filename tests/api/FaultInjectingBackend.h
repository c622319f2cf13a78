#pragma once

#include "rockets/EventStore.h"
#include "rockets/StoreBackend.h"
#include "rockets/StoreErrors.h"

#include <atomic>
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

/// A real backend (the memory plugin) with a FaultInjectingEventStore in front of its
/// event log. Its health follows the faults as a real backend's does: unavailable while
/// the store is down, and after a failed write until a write succeeds, with the cause.
class FaultInjectingBackend final : public StoreBackend {
public:
    explicit FaultInjectingBackend(std::unique_ptr<StoreBackend> inner)
        : inner_(std::move(inner)), events_(inner_->events()) {}
    void open(const Poco::Util::AbstractConfiguration& config) override { inner_->open(config); }
    EventStore& events() override { return events_; }
    RocketStore& rockets() override { return inner_->rockets(); }
    StoreHealth health() override {
        if (events_.down) return StoreHealth{false, FaultInjectingEventStore::kDown};
        if (auto failure = events_.lastWriteFailure()) return StoreHealth{false, "last write failed: " + *failure};
        return inner_->health();
    }
    std::string describe() const override { return "fault-injecting " + inner_->describe(); }
    FaultInjectingEventStore& faults() { return events_; }

private:
    std::unique_ptr<StoreBackend> inner_;
    FaultInjectingEventStore events_;
};

}  // namespace rockets::test
