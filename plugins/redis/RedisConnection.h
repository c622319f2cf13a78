#pragma once

#include "RedisSettings.h"

#include <hiredis/hiredis.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rockets::redis {

using Clock = std::chrono::steady_clock;
using ReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;
/// One command's arguments; views into strings the caller keeps alive.
using Command = std::vector<std::string_view>;

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
    ReplyPtr command(const Command& args, Clock::time_point deadline);

    /// Sends every command in one write and then reads their replies, in order:
    /// one round trip for all of them. Errors as for command().
    std::vector<ReplyPtr> pipeline(const std::vector<Command>& commands, Clock::time_point deadline);

    /// Throws StoreUnavailableException naming this connection's address unless
    /// `reply` has type `type` (error replies carry the server's message).
    void expect(const redisReply& reply, int type, std::string_view what) const;

    // For a subscriber that waits on the socket itself (RedisChangeFeed):
    /// The socket, to poll for readability.
    int fd() const;
    /// Writes `args` completely before `deadline` without reading a reply.
    void send(const Command& args, Clock::time_point deadline);
    /// Reads what the socket holds now (call when poll reports it readable);
    /// throws when the peer closed it or on an error.
    void receive();
    /// The next reply already received, or null.
    ReplyPtr nextReceived();

    /// True after an I/O error or timeout; the connection must not be used again.
    bool broken() const { return broken_; }
    /// True when the last failure was a timeout (the server may still be alive).
    bool timedOut() const { return timedOut_; }
    /// "unix:/path" or "host:port".
    const std::string& endpoint() const { return endpoint_; }

private:
    void applyTimeout(Clock::time_point deadline);
    void append(const Command& args);
    [[noreturn]] void fail(const std::string& what);

    std::string endpoint_;
    std::chrono::milliseconds timeout_;
    std::chrono::milliseconds socketTimeout_{0};
    std::unique_ptr<redisContext, decltype(&redisFree)> context_;
    std::vector<const char*> argv_;     ///< scratch for append()
    std::vector<std::size_t> lengths_;  ///< scratch for append()
    bool broken_ = false;
    bool timedOut_ = false;
};

/// Throws StoreUnavailableException unless `reply` has type `type`; names `what`,
/// the address `endpoint` and, for error replies, the server's message.
void expectReply(const redisReply& reply, int type, std::string_view what, std::string_view endpoint);

/// The reply's string (status, string or error reply).
inline std::string replyText(const redisReply& reply) { return std::string(reply.str, reply.len); }
inline std::string_view replyView(const redisReply& reply) { return std::string_view(reply.str, reply.len); }

/// A decimal int64 stored by our scripts; StoreCorruptException naming `what` otherwise.
std::int64_t parseInteger(std::string_view text, std::string_view what);

}  // namespace rockets::redis
