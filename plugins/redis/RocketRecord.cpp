#include "RocketRecord.h"

#include "rockets/StoreErrors.h"

#include <charconv>

namespace rockets::redis {

namespace {

char statusCode(RocketStatus status) {
    switch (status) {
    case RocketStatus::Active: return 'A';
    case RocketStatus::Exploded: return 'E';
    case RocketStatus::Unlaunched: break;
    }
    return 'U';
}

void appendString(std::string& out, std::string_view value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
}

/// Reads the fields of a record front to back; every failure is corruption.
class Reader {
public:
    Reader(const std::string& channel, std::string_view record) : channel_(channel), rest_(record) {}

    std::int64_t integer(char end) {
        std::int64_t value = 0;
        auto [next, ec] = std::from_chars(rest_.data(), rest_.data() + rest_.size(), value);
        if (ec != std::errc() || next == rest_.data() + rest_.size() || *next != end) corrupt();
        rest_.remove_prefix(static_cast<std::size_t>(next - rest_.data()) + 1);
        return value;
    }

    char code() {
        if (rest_.size() < 2 || rest_[1] != ';') corrupt();
        const char c = rest_[0];
        rest_.remove_prefix(2);
        return c;
    }

    std::string string() {
        const std::int64_t length = integer(':');
        if (length < 0 || static_cast<std::size_t>(length) > rest_.size()) corrupt();
        std::string value(rest_.substr(0, static_cast<std::size_t>(length)));
        rest_.remove_prefix(static_cast<std::size_t>(length));
        return value;
    }

    bool atEnd() const { return rest_.empty(); }

    [[noreturn]] void corrupt() const {
        throw StoreCorruptException("redis: malformed rocket record of channel " + channel_);
    }

private:
    const std::string& channel_;
    std::string_view rest_;
};

}  // namespace

std::string RocketRecord::encode(const Rocket& rocket) {
    std::string out;
    out.reserve(64 + rocket.type.size() + rocket.mission.size() + rocket.launchedAt.size() +
                rocket.updatedAt.size() + (rocket.reason ? rocket.reason->size() : 0));
    out += std::to_string(rocket.lastMessageNumber);
    out += ';';
    out += std::to_string(rocket.speed);
    out += ';';
    out += statusCode(rocket.status);
    out += ';';
    appendString(out, rocket.type);
    appendString(out, rocket.mission);
    appendString(out, rocket.launchedAt);
    appendString(out, rocket.updatedAt);
    if (rocket.reason) appendString(out, *rocket.reason);
    return out;
}

Rocket RocketRecord::decode(const std::string& channel, std::string_view record) {
    Reader reader(channel, record);
    Rocket rocket;
    rocket.channel = channel;
    rocket.lastMessageNumber = reader.integer(';');
    rocket.speed = reader.integer(';');
    switch (reader.code()) {
    case 'A': rocket.status = RocketStatus::Active; break;
    case 'E': rocket.status = RocketStatus::Exploded; break;
    case 'U': rocket.status = RocketStatus::Unlaunched; break;
    default: reader.corrupt();
    }
    rocket.type = reader.string();
    rocket.mission = reader.string();
    rocket.launchedAt = reader.string();
    rocket.updatedAt = reader.string();
    if (!reader.atEnd()) rocket.reason = reader.string();
    if (!reader.atEnd()) reader.corrupt();
    return rocket;
}

}  // namespace rockets::redis
