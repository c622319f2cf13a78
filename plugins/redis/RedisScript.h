#pragma once

#include "RedisConnection.h"

#include <string>
#include <string_view>
#include <vector>

namespace rockets::redis {

/// One call of a script: the keys it touches (every one of them, so Redis knows
/// them) and its other arguments.
struct ScriptCall {
    Command keys;
    Command args;
};

/// A Lua script run with EVALSHA; when the server does not know it (restart,
/// SCRIPT FLUSH, failover) it is loaded with SCRIPT LOAD and run again.
class RedisScript {
public:
    /// `name` names the script in error messages ("append script").
    RedisScript(std::string name, std::string_view source);

    const std::string& name() const { return name_; }
    const std::string& sha() const { return sha_; }

    /// The script's reply; an error reply throws StoreUnavailableException.
    ReplyPtr run(RedisConnection& connection, const ScriptCall& call, Clock::time_point deadline) const;

    /// Runs every call in one pipeline (one round trip, two after a NOSCRIPT) and
    /// returns the replies in order, error replies included: each call succeeds
    /// or fails on its own.
    std::vector<ReplyPtr> runMany(RedisConnection& connection, const std::vector<ScriptCall>& calls,
                                  Clock::time_point deadline) const;
    /// The same with `tail`, other commands, sent after the calls in the same pipeline;
    /// their replies follow the calls' in the result, as Redis gave them (a NOSCRIPT
    /// among them is the tail's owner's to handle).
    std::vector<ReplyPtr> runMany(RedisConnection& connection, const std::vector<ScriptCall>& calls,
                                  const std::vector<Command>& tail, Clock::time_point deadline) const;

    // For callers that put script calls into pipelines of their own:
    /// `EVALSHA <sha> <key count> <keys...> <args...>`; `count` keeps the count's text alive.
    Command command(const ScriptCall& call, std::string& count) const;
    /// The server did not know the script: the call did not run; load() and send it again.
    static bool isNoScript(const redisReply& reply);
    /// SCRIPT LOAD.
    void load(RedisConnection& connection, Clock::time_point deadline) const;

private:
    std::string name_;
    std::string source_;
    std::string sha_;
};

}  // namespace rockets::redis
