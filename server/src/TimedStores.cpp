#include "TimedStores.h"

#include <chrono>

namespace rockets::server {

namespace {

/// Runs `call`, recording its duration and whether it threw.
template <class Call>
auto timed(StoreOperationMetrics& metrics, Call&& call) -> decltype(call()) {
    const auto started = std::chrono::steady_clock::now();
    try {
        auto result = call();
        metrics.observe(std::chrono::steady_clock::now() - started, false);
        return result;
    } catch (...) {
        metrics.observe(std::chrono::steady_clock::now() - started, true);
        throw;
    }
}

}  // namespace

TimedEventStore::TimedEventStore(EventStore& inner, Metrics& metrics, const std::string& backend)
    : inner_(inner),
      append_(metrics.storeOperation("events", backend, "append")),
      read_(metrics.storeOperation("events", backend, "read")),
      readMany_(metrics.storeOperation("events", backend, "readMany")),
      changedSince_(metrics.storeOperation("events", backend, "changedSince")) {}

AppendResult TimedEventStore::append(const Message& message) {
    return timed(append_, [&] { return inner_.append(message); });
}

std::vector<Message> TimedEventStore::read(const std::string& channel, std::int64_t fromNumber, std::size_t max) {
    return timed(read_, [&] { return inner_.read(channel, fromNumber, max); });
}

std::vector<std::vector<Message>> TimedEventStore::readMany(const std::vector<EventRange>& ranges) {
    return timed(readMany_, [&] { return inner_.readMany(ranges); });
}

ChangedChannels TimedEventStore::changedSince(std::uint64_t cursor) {
    return timed(changedSince_, [&] { return inner_.changedSince(cursor); });
}

TimedRocketStore::TimedRocketStore(RocketStore& inner, Metrics& metrics, const std::string& backend)
    : inner_(inner),
      get_(metrics.storeOperation("rockets", backend, "get")),
      getMany_(metrics.storeOperation("rockets", backend, "getMany")),
      list_(metrics.storeOperation("rockets", backend, "list")),
      compareAndSet_(metrics.storeOperation("rockets", backend, "compareAndSet")),
      compareAndSetMany_(metrics.storeOperation("rockets", backend, "compareAndSetMany")),
      versions_(metrics.storeOperation("rockets", backend, "versions")) {}

std::optional<Rocket> TimedRocketStore::get(const std::string& channel) {
    return timed(get_, [&] { return inner_.get(channel); });
}

std::vector<std::optional<Rocket>> TimedRocketStore::getMany(const std::vector<std::string>& channels) {
    return timed(getMany_, [&] { return inner_.getMany(channels); });
}

RocketPage TimedRocketStore::list(const RocketQuery& query) {
    return timed(list_, [&] { return inner_.list(query); });
}

bool TimedRocketStore::compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) {
    return timed(compareAndSet_, [&] { return inner_.compareAndSet(rocket, expectedVersion); });
}

std::vector<bool> TimedRocketStore::compareAndSetMany(const std::vector<RocketWrite>& writes) {
    return timed(compareAndSetMany_, [&] { return inner_.compareAndSetMany(writes); });
}

std::vector<std::pair<std::string, std::int64_t>> TimedRocketStore::versions() {
    return timed(versions_, [&] { return inner_.versions(); });
}

bool TimedRocketStore::subscribe(CommittedChangeListener listener) {
    // Not timed: called twice per service lifetime, and it may block until a
    // previous listener has finished.
    return inner_.subscribe(std::move(listener));
}

}  // namespace rockets::server
