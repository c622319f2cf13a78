#pragma once

#include "RedisSettings.h"

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rockets::redis {

using Clock = std::chrono::steady_clock;
using ReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

/// One hiredis context: connected, authenticated and on the configured db. Not
/// thread-safe (hiredis contexts are not). After any I/O error or timeout the
/// context is broken() for good: hiredis 0.14 cannot resynchronise a stream whose
/// reply was not read, so the owner frees it and connects anew.
class RedisConnection {
public:
    /// Connects, AUTHs and SELECTs before `deadline`; throws StoreUnavailableException.
    RedisConnection(const RedisSettings& settings, Clock::time_point deadline);

    /// Sends one command and reads its reply before `deadline`. Error replies are
    /// returned (the caller checks the type); I/O errors and timeouts throw
    /// StoreUnavailableException and leave the connection broken().
    ReplyPtr command(const std::vector<std::string_view>& args, Clock::time_point deadline);

    /// True after an I/O error or timeout; the connection must not be used again.
    bool broken() const { return broken_; }
    /// True when the last failure was a timeout (the server may still be alive).
    bool timedOut() const { return timedOut_; }

private:
    void applyTimeout(Clock::time_point deadline);
    [[noreturn]] void fail(const std::string& what);

    std::string endpoint_;
    std::chrono::milliseconds timeout_;
    std::chrono::milliseconds socketTimeout_{0};
    std::unique_ptr<redisContext, decltype(&redisFree)> context_;
    bool broken_ = false;
    bool timedOut_ = false;
};

/// Throws StoreUnavailableException unless `reply` has type `type`; names `what`
/// and, for error replies, the server's message.
void expectReply(const redisReply& reply, int type, std::string_view what);

/// The reply's string (status, string or error reply).
inline std::string replyText(const redisReply& reply) { return std::string(reply.str, reply.len); }

/// A decimal int64 stored by our scripts; StoreCorruptException naming `what` otherwise.
std::int64_t parseInteger(std::string_view text, std::string_view what);

}  // namespace rockets::redis
