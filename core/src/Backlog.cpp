#include "rockets/Backlog.h"

#include <algorithm>
#include <functional>

namespace rockets {

Backlog::Shard& Backlog::shardFor(const std::string& channel) const {
    return shards_[std::hash<std::string>{}(channel) % shards_.size()];
}

template <class Change>
void Backlog::update(const std::string& channel, Change&& change) {
    Shard& shard = shardFor(channel);
    std::lock_guard lock(shard.mutex);
    Entry& entry = shard.entries[channel];
    const std::int64_t before = entry.unapplied();
    change(entry);
    unapplied_.fetch_add(entry.unapplied() - before, std::memory_order_relaxed);
}

void Backlog::stored(const std::string& channel) {
    update(channel, [](Entry& e) {
        ++e.storedCount;
        ++e.appends;
    });
}

void Backlog::observed(const ChannelHead& head) {
    update(head.channel, [&](Entry& e) {
        // A head read from the store is a past snapshot; counts only grow, so the larger wins.
        e.storedCount = std::max(e.storedCount, head.storedCount);
        // The store reports the channel because it changed. The count may already have
        // been one high when the channel got stuck (see counted()), so the message that
        // fills the gap need not move it: look again instead of trusting the count.
        e.stuckAt = -1;
    });
}

void Backlog::applied(const std::string& channel, std::int64_t version) {
    update(channel, [&](Entry& e) {
        e.applied = std::max(e.applied, version);
        e.storedCount = std::max(e.storedCount, e.applied);  // 1..applied are all stored
    });
}

std::int64_t Backlog::appendMark(const std::string& channel) const { return entry(channel).appends; }

void Backlog::counted(const std::string& channel, std::int64_t storedCount, std::int64_t mark) {
    update(channel, [&](Entry& e) { e.storedCount = std::max(storedCount + (e.appends - mark), e.applied); });
}

void Backlog::stuck(const std::string& channel) {
    update(channel, [](Entry& e) { e.stuckAt = e.storedCount; });
}

bool Backlog::needsWork(const std::string& channel) const {
    const Shard& shard = shardFor(channel);
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(channel);
    return it != shard.entries.end() && it->second.unapplied() > 0 && it->second.stuckAt != it->second.storedCount;
}

Backlog::Entry Backlog::entry(const std::string& channel) const {
    const Shard& shard = shardFor(channel);
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(channel);
    return it == shard.entries.end() ? Entry{} : it->second;
}

std::size_t Backlog::channels() const {
    std::size_t count = 0;
    for (const Shard& shard : shards_) {
        std::lock_guard lock(shard.mutex);
        count += shard.entries.size();
    }
    return count;
}

}  // namespace rockets
