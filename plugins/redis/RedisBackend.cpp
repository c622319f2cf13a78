#include "RedisBackend.h"

#include <Poco/Exception.h>

namespace rockets::redis {

void RedisBackend::open(const Poco::Util::AbstractConfiguration& config) {
    settings_ = RedisSettings::fromConfig(config);
    events_.open(config);
    rockets_.open(config);
}

StoreHealth RedisBackend::health() {
    try {
        events_.read("", 1, 1);
        rockets_.get("");
        return {};
    } catch (const Poco::Exception& e) {
        return {false, e.displayText()};
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

std::string RedisBackend::describe() const {
    const std::string where = settings_.socket.empty() ? settings_.host + ":" + std::to_string(settings_.port)
                                                       : "unix:" + settings_.socket;
    return "redis " + where + " db " + std::to_string(settings_.db) + ", key prefix '" + settings_.keyPrefix + "'";
}

}  // namespace rockets::redis
