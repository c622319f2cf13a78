#pragma once

#include <string>
#include <string_view>

namespace rockets::redis {

/// The key layout (docs/redis.md). Per-channel keys carry the channel as a hash
/// tag, `<prefix>{<channel>}:log`, so one channel's keys share a Cluster slot;
/// the cross-channel keys (records, versions, changes, list indexes) are global.
class RedisKeys {
public:
    explicit RedisKeys(std::string prefix) : prefix_(std::move(prefix)) {}

    const std::string& prefix() const { return prefix_; }

    /// ZSET of one channel's messages, scored by messageNumber.
    std::string log(std::string_view channel) const { return channelKey(channel, "log"); }
    /// HASH of one channel's list index entries: index key -> member there, and
    /// `filter:<field>` -> the filter SET holding the channel.
    std::string entries(std::string_view channel) const { return channelKey(channel, "entries"); }
    /// HASH channel -> highest stored messageNumber.
    std::string heads() const { return prefix_ + "heads"; }
    /// HASH channel -> rocket record (RocketRecord).
    std::string records() const { return prefix_ + "rockets"; }
    /// SET of channels written since their list index entries were last updated.
    std::string stale() const { return prefix_ + "stale"; }
    /// HASH channel -> projection version (lastMessageNumber).
    std::string versions() const { return prefix_ + "versions"; }
    /// ZSET channel -> sequence number of its last stored append.
    std::string changes() const { return prefix_ + "changes"; }
    /// STRING: the sequence behind changes().
    std::string sequence() const { return prefix_ + "changes:seq"; }
    /// STRING: the layout version of the data under this prefix.
    std::string layout() const { return prefix_ + "layout"; }
    /// STRING written by the health probe to find out whether writes work again.
    std::string healthProbe() const { return prefix_ + "health"; }
    /// ZSET (all scores 0) ordering visible rockets for one sort index.
    std::string index(std::string_view name) const { return prefix_ + "idx:" + std::string(name); }
    /// SET of visible channels whose `field` equals `value`.
    std::string filter(std::string_view field, std::string_view value) const {
        return prefix_ + "f:" + std::string(field) + ":" + std::string(value);
    }
    /// The pub/sub channel of the change feed. Pub/sub ignores SELECT, so the db
    /// is part of the name: two deployments on other dbs never hear each other.
    std::string feed(int db) const { return prefix_ + "feed:" + std::to_string(db); }

private:
    std::string channelKey(std::string_view channel, std::string_view suffix) const {
        std::string key;
        key.reserve(prefix_.size() + channel.size() + suffix.size() + 3);
        key += prefix_;
        key += '{';
        key += channel;
        key += "}:";
        key += suffix;
        return key;
    }

    std::string prefix_;
};

}  // namespace rockets::redis
