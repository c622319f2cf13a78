#include "RedisChangeFeed.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"
#include "rockets/ThreadName.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace rockets::redis {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kFirstBackoff{100};
constexpr milliseconds kMaxBackoff{5000};

bool isArrayStartingWith(const redisReply& reply, std::string_view kind, std::size_t elements) {
    return reply.type == REDIS_REPLY_ARRAY && reply.elements == elements &&
           reply.element[0]->type == REDIS_REPLY_STRING && replyView(*reply.element[0]) == kind;
}

}  // namespace

RedisChangeFeed::RedisChangeFeed(const RedisSettings& settings, std::string channel, CommittedChangeListener listener)
    : settings_(settings),
      channel_(std::move(channel)),
      listener_(std::move(listener)),
      logger_(Poco::Logger::get("rockets.redis")),
      throttle_(logger_) {
    wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd_ < 0) throw Poco::SystemException("redis: cannot create the change feed's eventfd");
    // The first subscription is made here, so every change committed after
    // subscribe() returns is delivered. If Redis cannot be reached now, the thread
    // keeps trying and reports lost() once it is subscribed.
    std::string failure;
    try {
        connection_ = subscribe();
    } catch (const Poco::Exception& e) {
        failure = e.message();
    }
    thread_ = startNamedThread("redis-feed", [this, failure] { run(failure); });
}

RedisChangeFeed::~RedisChangeFeed() {
    stopping_.store(true);
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wakeFd_, &one, sizeof one);
    thread_.join();
    ::close(wakeFd_);
}

std::unique_ptr<RedisConnection> RedisChangeFeed::subscribe() {
    const auto deadline = Clock::now() + settings_.timeout;
    auto connection = std::make_unique<RedisConnection>(settings_, deadline);
    connection->send({"SUBSCRIBE", channel_}, deadline);
    for (;;) {
        while (ReplyPtr reply = connection->nextReceived()) {
            if (isArrayStartingWith(*reply, "subscribe", 3)) return connection;
            connection->expect(*reply, REDIS_REPLY_ARRAY, "SUBSCRIBE");
        }
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        const int ready = left.count() > 0 ? wait(connection->fd(), left) : 0;
        if (ready < 0) throw StoreUnavailableException("redis: change feed stopped while subscribing");
        if (ready == 0) {
            throw StoreUnavailableException("redis: SUBSCRIBE on " + settings_.endpoint() + " timed out");
        }
        connection->receive();
    }
}

void RedisChangeFeed::run(const std::string& firstFailure) {
    std::unique_ptr<RedisConnection> connection = std::move(connection_);
    if (!connection) {
        logger_.warning("change feed on " + settings_.endpoint() + " not subscribed yet, retrying: " + firstFailure);
        notifyLost();
    }
    milliseconds backoff = kFirstBackoff;
    while (!stopping_.load()) {
        if (!connection) {
            try {
                connection = subscribe();
            } catch (const Poco::Exception& e) {
                throttle_.log(Poco::Message::PRIO_WARNING, "resubscribe",
                              "change feed on " + settings_.endpoint() + ": subscribing failed, retrying with back-off: " +
                                  e.message());
                if (wait(-1, backoff) < 0) return;
                backoff = std::min(backoff * 2, kMaxBackoff);
                continue;
            }
            backoff = kFirstBackoff;
            throttle_.flush();
            logger_.information("change feed on " + settings_.endpoint() + " subscribed again");
            notifyLost();  // a reload from now on misses nothing
        }
        try {
            listen(*connection);
            return;  // stopping
        } catch (const Poco::Exception& e) {
            connection.reset();
            if (stopping_.load()) return;
            logger_.warning("change feed on " + settings_.endpoint() + " interrupted, resubscribing: " + e.message());
            notifyLost();
        }
    }
}

void RedisChangeFeed::listen(RedisConnection& connection) {
    bool pinged = false;
    for (;;) {
        while (ReplyPtr reply = connection.nextReceived()) {
            pinged = false;  // anything heard proves the subscription alive
            handle(*reply);
        }
        const int ready = wait(connection.fd(), settings_.timeout);
        if (ready < 0) return;
        if (ready == 0) {
            if (pinged) {
                throw StoreUnavailableException("redis: no answer to PING on " + settings_.endpoint() + " within " +
                                                std::to_string(settings_.timeout.count()) + " ms");
            }
            connection.send({"PING"}, Clock::now() + settings_.timeout);
            pinged = true;
            continue;
        }
        connection.receive();
    }
}

void RedisChangeFeed::handle(const redisReply& reply) {
    if (!isArrayStartingWith(reply, "message", 3)) return;  // pong, subscribe confirmations
    const redisReply& payload = *reply.element[2];
    std::optional<Rocket> rocket;
    if (payload.type == REDIS_REPLY_STRING) rocket = decodeRocket(replyView(payload));
    if (!rocket) {
        throttle_.log(Poco::Message::PRIO_ERROR, "undecodable",
                      "change feed on " + settings_.endpoint() + ": undecodable message on " + channel_ +
                          ", reported as lost");
        notifyLost();
        return;
    }
    if (!listener_.changed) return;
    try {
        listener_.changed(*rocket);
    } catch (const std::exception& e) {
        throttle_.log(Poco::Message::PRIO_ERROR, "listener", std::string("change feed listener threw: ") + e.what());
    }
}

int RedisChangeFeed::wait(int fd, milliseconds timeout) {
    pollfd fds[2] = {{wakeFd_, POLLIN, 0}, {fd, POLLIN, 0}};
    const nfds_t count = fd < 0 ? 1 : 2;
    const auto until = Clock::now() + timeout;
    for (;;) {
        if (stopping_.load()) return -1;
        const auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now());
        if (left.count() <= 0) return 0;
        const int n = ::poll(fds, count, static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30)));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Poco::SystemException("redis: poll on the change feed failed");
        if (fds[0].revents != 0 || stopping_.load()) return -1;
        if (n > 0) return 1;  // readable, hung up or in error: receive() tells
    }
}

void RedisChangeFeed::notifyLost() {
    if (!listener_.lost) return;
    try {
        listener_.lost();
    } catch (const std::exception& e) {
        throttle_.log(Poco::Message::PRIO_ERROR, "listener", std::string("change feed listener threw: ") + e.what());
    }
}

}  // namespace rockets::redis
