#include "RedisConnection.h"

#include "rockets/StoreErrors.h"

#include <hiredis/read.h>

#include <cerrno>
#include <charconv>
#include <sys/time.h>

namespace rockets::redis {

namespace {

timeval toTimeval(std::chrono::milliseconds ms) {
    if (ms.count() < 1) ms = std::chrono::milliseconds(1);
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

std::chrono::milliseconds remaining(Clock::time_point deadline) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
}

const char* typeName(int type) {
    switch (type) {
    case REDIS_REPLY_STRING: return "string";
    case REDIS_REPLY_ARRAY: return "array";
    case REDIS_REPLY_INTEGER: return "integer";
    case REDIS_REPLY_NIL: return "nil";
    case REDIS_REPLY_STATUS: return "status";
    case REDIS_REPLY_ERROR: return "error";
    }
    return "unknown";
}

}  // namespace

void expectReply(const redisReply& reply, int type, std::string_view what, std::string_view endpoint) {
    if (reply.type == type) return;
    std::string message = "redis: ";
    if (reply.type == REDIS_REPLY_ERROR) {
        // The server refused: MISCONF, OOM, READONLY, NOAUTH, WRONGTYPE...
        message += std::string(what) + " on " + std::string(endpoint) + " failed: " + replyText(reply);
    } else {
        message += "unexpected " + std::string(typeName(reply.type)) + " reply to " + std::string(what) + " from " +
                   std::string(endpoint);
        if (reply.type == REDIS_REPLY_STATUS) message += ": " + replyText(reply);
    }
    throw StoreUnavailableException(message);
}

RedisConnection::RedisConnection(const RedisSettings& settings, Clock::time_point deadline)
    : endpoint_(settings.endpoint()), timeout_(settings.timeout), context_(nullptr, &redisFree) {
    const timeval connectTimeout = toTimeval(remaining(deadline));
    context_.reset(settings.socket.empty()
                       ? redisConnectWithTimeout(settings.host.c_str(), settings.port, connectTimeout)
                       : redisConnectUnixWithTimeout(settings.socket.c_str(), connectTimeout));
    if (!context_) {
        broken_ = true;
        throw StoreUnavailableException("redis: cannot allocate a context for " + endpoint_);
    }
    if (context_->err) fail("connect");
    if (!settings.password.empty()) {
        auto reply = command({"AUTH", settings.password}, deadline);
        expect(*reply, REDIS_REPLY_STATUS, "AUTH");
    }
    if (settings.db != 0) {
        const std::string db = std::to_string(settings.db);
        auto reply = command({"SELECT", db}, deadline);
        expect(*reply, REDIS_REPLY_STATUS, "SELECT");
    }
}

void RedisConnection::expect(const redisReply& reply, int type, std::string_view what) const {
    expectReply(reply, type, what, endpoint_);
}

void RedisConnection::applyTimeout(Clock::time_point deadline) {
    // The socket timeout bounds each read and write; shrinking it to what is left of
    // the caller's budget keeps a multi-command call within one timeout in total.
    auto left = remaining(deadline);
    if (left.count() <= 0) {
        broken_ = true;
        timedOut_ = true;
        throw StoreUnavailableException("redis: timed out talking to " + endpoint_);
    }
    if (left > timeout_) left = timeout_;
    // Re-arming costs two syscalls; skip it while the current value is close enough.
    if (socketTimeout_.count() > 0 && left <= socketTimeout_ && socketTimeout_ - left < std::chrono::milliseconds(50)) return;
    if (redisSetTimeout(context_.get(), toTimeval(left)) != REDIS_OK) fail("set timeout");
    socketTimeout_ = left;
}

void RedisConnection::append(const Command& args) {
    argv_.clear();
    lengths_.clear();
    for (auto a : args) {
        argv_.push_back(a.data());
        lengths_.push_back(a.size());
    }
    if (redisAppendCommandArgv(context_.get(), static_cast<int>(argv_.size()), argv_.data(), lengths_.data()) !=
        REDIS_OK) {
        fail(args.empty() ? std::string("command") : std::string(args[0]));
    }
}

ReplyPtr RedisConnection::command(const Command& args, Clock::time_point deadline) {
    if (broken_) throw StoreUnavailableException("redis: connection to " + endpoint_ + " is broken");
    applyTimeout(deadline);
    append(args);
    errno = 0;
    void* raw = nullptr;
    if (redisGetReply(context_.get(), &raw) != REDIS_OK || !raw) {
        fail(args.empty() ? std::string("command") : std::string(args[0]));
    }
    return ReplyPtr(static_cast<redisReply*>(raw), &freeReplyObject);
}

std::vector<ReplyPtr> RedisConnection::pipeline(const std::vector<Command>& commands, Clock::time_point deadline) {
    if (broken_) throw StoreUnavailableException("redis: connection to " + endpoint_ + " is broken");
    std::vector<ReplyPtr> replies;
    replies.reserve(commands.size());
    if (commands.empty()) return replies;
    applyTimeout(deadline);
    for (const Command& args : commands) append(args);
    for (const Command& args : commands) {
        // The first read flushes every command; each later one gets what is left.
        applyTimeout(deadline);
        errno = 0;
        void* raw = nullptr;
        if (redisGetReply(context_.get(), &raw) != REDIS_OK || !raw) {
            fail(args.empty() ? std::string("command") : std::string(args[0]));
        }
        replies.emplace_back(static_cast<redisReply*>(raw), &freeReplyObject);
    }
    return replies;
}

int RedisConnection::fd() const { return context_->fd; }

void RedisConnection::send(const Command& args, Clock::time_point deadline) {
    if (broken_) throw StoreUnavailableException("redis: connection to " + endpoint_ + " is broken");
    applyTimeout(deadline);
    append(args);
    int done = 0;
    while (!done) {
        errno = 0;
        if (redisBufferWrite(context_.get(), &done) != REDIS_OK) fail(std::string(args.empty() ? "command" : args[0]));
    }
}

void RedisConnection::receive() {
    if (broken_) throw StoreUnavailableException("redis: connection to " + endpoint_ + " is broken");
    errno = 0;
    if (redisBufferRead(context_.get()) != REDIS_OK) fail("read");
}

ReplyPtr RedisConnection::nextReceived() {
    void* raw = nullptr;
    if (redisReaderGetReply(context_->reader, &raw) != REDIS_OK) {
        broken_ = true;
        throw StoreUnavailableException("redis: protocol error from " + endpoint_ + ": " +
                                        std::string(context_->reader->errstr));
    }
    return ReplyPtr(static_cast<redisReply*>(raw), &freeReplyObject);
}

void RedisConnection::fail(const std::string& what) {
    const int savedErrno = errno;
    broken_ = true;
    const bool io = context_ && context_->err == REDIS_ERR_IO;
    timedOut_ = io && (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK || savedErrno == EINPROGRESS ||
                       savedErrno == ETIMEDOUT);
    std::string detail = context_ ? std::string(context_->errstr) : std::string("no context");
    if (timedOut_) detail = "timed out";
    throw StoreUnavailableException("redis: " + what + " on " + endpoint_ + " failed: " + detail);
}

std::int64_t parseInteger(std::string_view text, std::string_view what) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw StoreCorruptException("redis: not an integer in " + std::string(what) + ": " + std::string(text));
    }
    return value;
}

}  // namespace rockets::redis
