#include "RedisBackend.h"

#include "rockets/StoreErrors.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

namespace rockets::redis {

namespace {

/// The layout of the keys under a prefix (docs/redis.md). Layout 1 (per-channel
/// rocket hashes) had no layout key.
constexpr std::string_view kLayout = "2";

/// The value of `name:` in the text of an INFO reply, or "".
std::string infoField(std::string_view info, std::string_view name) {
    const std::string needle = std::string(name) + ":";
    std::size_t at = info.find(needle);
    while (at != std::string_view::npos && at != 0 && info[at - 1] != '\n') at = info.find(needle, at + 1);
    if (at == std::string_view::npos) return {};
    const std::size_t begin = at + needle.size();
    const std::size_t end = info.find_first_of("\r\n", begin);
    return std::string(info.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
}

}  // namespace

RedisBackend::RedisBackend() = default;

RedisBackend::~RedisBackend() = default;

void RedisBackend::open(const Poco::Util::AbstractConfiguration& config) {
    settings_ = RedisSettings::fromConfig(config);
    keys_ = std::make_unique<RedisKeys>(settings_.keyPrefix);
    pool_ = std::make_unique<RedisConnectionPool>(settings_);
    health_ = std::make_unique<RedisHealth>(settings_.endpoint());
    checkLayout();
    readServerSettings();
    appends_ = std::make_unique<AppendPipeline>(*pool_, *keys_, *health_, readAhead_);
    events_ = std::make_unique<RedisEventStore>(*pool_, *keys_, *appends_, readAhead_);
    rockets_ = std::make_unique<RedisRocketStore>(*pool_, *keys_, *health_, readAhead_, *appends_);
}

void RedisBackend::checkLayout() {
    const std::string layout = keys_->layout();
    const std::string heads = keys_->heads();
    const std::string versions = keys_->versions();
    pool_->run([&](RedisConnection& connection, Clock::time_point deadline) {
        auto replies = connection.pipeline({{"GET", layout}, {"EXISTS", heads, versions}}, deadline);
        connection.expect(*replies[1], REDIS_REPLY_INTEGER, "EXISTS");
        if (replies[0]->type == REDIS_REPLY_NIL) {
            if (replies[1]->integer > 0) {  // data written before layouts were recorded
                throw StoreCorruptException("redis: key prefix '" + keys_->prefix() + "' on " + settings_.endpoint() +
                                            " holds data of an older layout; remove its keys or choose another "
                                            "rockets.redis.keyPrefix");
            }
            auto set = connection.command({"SET", layout, kLayout, "NX"}, deadline);
            if (set->type != REDIS_REPLY_NIL) connection.expect(*set, REDIS_REPLY_STATUS, "SET of the layout");
            return true;
        }
        connection.expect(*replies[0], REDIS_REPLY_STRING, "GET of the layout");
        if (replyView(*replies[0]) != kLayout) {
            throw StoreCorruptException("redis: key prefix '" + keys_->prefix() + "' on " + settings_.endpoint() +
                                        " holds layout " + replyText(*replies[0]) + "; this version reads layout " +
                                        std::string(kLayout));
        }
        return true;
    });
}

void RedisBackend::readServerSettings() {
    // Only for the start-up line and a warning: a Redis that refuses INFO or CONFIG
    // (managed services rename them) is still usable.
    Poco::Logger& logger = Poco::Logger::get("rockets.redis");
    try {
        auto replies = pool_->run([&](RedisConnection& connection, Clock::time_point deadline) {
            return connection.pipeline({{"INFO", "server"}, {"INFO", "persistence"}, {"CONFIG", "GET", "appendfsync"}},
                                       deadline);
        });
        std::string version;
        std::string aof;
        std::string fsync;
        if (replies[0]->type == REDIS_REPLY_STRING) version = infoField(replyView(*replies[0]), "redis_version");
        if (replies[1]->type == REDIS_REPLY_STRING) aof = infoField(replyView(*replies[1]), "aof_enabled");
        if (replies[2]->type == REDIS_REPLY_ARRAY && replies[2]->elements == 2 &&
            replies[2]->element[1]->type == REDIS_REPLY_STRING) {
            fsync = replyText(*replies[2]->element[1]);
        }
        server_.clear();
        if (!version.empty()) server_ = "Redis " + version;
        if (!aof.empty()) server_ += std::string(server_.empty() ? "" : ", ") + "appendonly " + (aof == "1" ? "yes" : "no");
        if (!fsync.empty() && aof == "1") server_ += ", appendfsync " + fsync;
        if (aof == "0") {
            logger.warning("redis " + settings_.endpoint() +
                           " runs with appendonly no: acknowledged messages are lost when Redis restarts "
                           "(docs/redis.md, Durability)");
        }
    } catch (const Poco::Exception& e) {
        logger.information("redis " + settings_.endpoint() + ": could not read the server's settings: " + e.message());
    }
}

EventStore& RedisBackend::events() {
    if (!events_) throw Poco::IllegalStateException("redis backend used before open()");
    return *events_;
}

RocketStore& RedisBackend::rockets() {
    if (!rockets_) throw Poco::IllegalStateException("redis backend used before open()");
    return *rockets_;
}

StoreHealth RedisBackend::health() {
    if (!pool_) return {false, "redis backend not open"};
    try {
        if (health_->writeFailure()) {
            const std::string probe = keys_->healthProbe();
            pool_->run([&](RedisConnection& connection, Clock::time_point deadline) {
                auto reply = connection.command({"SET", probe, "1"}, deadline);
                connection.expect(*reply, REDIS_REPLY_STATUS, "write (SET " + probe + ")");
                return true;
            });
            health_->writeSucceeded();
        } else {
            pool_->run([](RedisConnection& connection, Clock::time_point deadline) {
                auto reply = connection.command({"PING"}, deadline);
                connection.expect(*reply, REDIS_REPLY_STATUS, "PING");
                return true;
            });
        }
        return {};
    } catch (const Poco::Exception& e) {
        return {false, e.message()};
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

std::string RedisBackend::describe() const {
    std::string text = "redis " + settings_.endpoint() + " db " + std::to_string(settings_.db) + ", key prefix '" +
                       settings_.keyPrefix + "', timeout " + std::to_string(settings_.timeout.count()) + " ms";
    if (!settings_.password.empty()) text += ", with password";
    if (!server_.empty()) text += "; " + server_;
    return text;
}

}  // namespace rockets::redis
