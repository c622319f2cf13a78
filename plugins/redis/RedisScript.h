#pragma once

#include "RedisConnection.h"

#include <string>
#include <string_view>
#include <vector>

namespace rockets::redis {

/// A Lua script run with EVALSHA; when the server does not know it (restart,
/// SCRIPT FLUSH, failover) it is loaded with SCRIPT LOAD and run again.
class RedisScript {
public:
    explicit RedisScript(std::string source);

    const std::string& sha() const { return sha_; }

    /// The script's reply (never an error reply: those throw StoreUnavailableException).
    ReplyPtr run(RedisConnection& connection, const std::vector<std::string_view>& keys,
                 const std::vector<std::string_view>& args, Clock::time_point deadline) const;

private:
    std::string source_;
    std::string sha_;
};

}  // namespace rockets::redis
