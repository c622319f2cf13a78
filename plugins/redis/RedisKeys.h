#pragma once

#include <string>
#include <string_view>

namespace rockets::redis {

/// The key layout (docs/redis.md). Per-channel keys carry the channel as a hash
/// tag, `<prefix>{<channel>}:log`, so one channel's keys share a Cluster slot;
/// the cross-channel keys (heads, versions, list indexes) are global.
class RedisKeys {
public:
    explicit RedisKeys(std::string prefix) : prefix_(std::move(prefix)) {}

    const std::string& prefix() const { return prefix_; }

    /// ZSET of one channel's messages, scored by messageNumber.
    std::string log(std::string_view channel) const { return channelKey(channel, "log"); }
    /// HASH of one channel's projection (fields in RedisRocketStore.cpp).
    std::string rocket(std::string_view channel) const { return channelKey(channel, "rocket"); }
    /// HASH channel -> highest stored messageNumber.
    std::string heads() const { return prefix_ + "heads"; }
    /// HASH channel -> projection version (lastMessageNumber).
    std::string versions() const { return prefix_ + "versions"; }
    /// ZSET (all scores 0) ordering visible rockets for one sort index.
    std::string index(std::string_view name) const { return prefix_ + "idx:" + std::string(name); }
    /// SET of visible channels whose `field` equals `value`.
    std::string filter(std::string_view field, std::string_view value) const {
        return prefix_ + "f:" + std::string(field) + ":" + std::string(value);
    }

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
