#include "rockets/Codec.h"

#include "rockets/Json.h"

#include <charconv>

namespace rockets {

namespace {

using Kind = JsonValue::Kind;

/// `'path.key'` for messages. Built by appending: GCC 12 warns falsely
/// (-Wrestrict) about `"'" + std::string(...)`.
std::string quoted(std::string_view path, std::string_view key) {
    std::string name;
    name.reserve(path.size() + key.size() + 2);
    name += '\'';
    name += path;
    name += key;
    name += '\'';
    return name;
}

/// Collects the first validation error; later checks are skipped once one failed.
class Validator {
public:
    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }

    bool fail(std::string message) {
        if (error_.empty()) error_ = std::move(message);
        return false;
    }

    /// The unique member `key` of `object` (path is for messages), or nullptr after failing.
    const JsonValue* member(const JsonValue& object, std::string_view key, std::string_view path) {
        const JsonValue* found = nullptr;
        for (const auto& [name, value] : object.members) {
            if (name != key) continue;
            if (found != nullptr) {
                fail("duplicate member " + quoted(path, key));
                return nullptr;
            }
            found = &value;
        }
        if (found == nullptr) fail("missing member " + quoted(path, key));
        return found;
    }

    bool string(const JsonValue& object, std::string_view key, std::string_view path, std::string& out,
                bool nonEmpty) {
        const JsonValue* v = member(object, key, path);
        if (v == nullptr) return false;
        if (v->kind != Kind::String) return fail(quoted(path, key) + " must be a string");
        if (nonEmpty && v->string.empty()) return fail(quoted(path, key) + " must not be empty");
        out = v->string;
        return true;
    }

    bool integer(const JsonValue& object, std::string_view key, std::string_view path, std::int64_t min,
                 std::int64_t& out) {
        const JsonValue* v = member(object, key, path);
        if (v == nullptr) return false;
        const std::string name = quoted(path, key);
        if (v->kind != Kind::Integer) return fail(name + " must be an integer");
        if (v->overflow || v->integer > kMaxJsonInteger) return fail(name + " must be at most 2^53-1");
        if (v->integer < min) return fail(name + " must be at least " + std::to_string(min));
        out = v->integer;
        return true;
    }

private:
    std::string error_;
};

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& value) {
    if (pos + count > s.size()) return false;
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

int daysInMonth(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

/// RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM).
bool isRfc3339DateTime(std::string_view s) {
    int year, month, day, hour, minute, second;
    if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, hour) || s[13] != ':' ||
        !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
        return false;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 ||
        second > 60)
        return false;
    std::size_t pos = 19;
    if (s[pos] == '.') {
        const std::size_t start = ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start || pos - start > 9) return false;
    }
    if (pos >= s.size()) return false;
    if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return true;
    int offsetHour, offsetMinute;
    return (s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && digits(s, pos + 1, 2, offsetHour) &&
           s[pos + 3] == ':' && digits(s, pos + 4, 2, offsetMinute) && offsetHour <= 23 && offsetMinute <= 59;
}

namespace {

bool hasControlCharacter(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) return true;
        // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return true;
    }
    return false;
}

std::optional<Payload> validatePayload(Validator& v, MessageType type, const JsonValue& body) {
    constexpr std::string_view path = "message.";
    if (!body.isObject()) {
        v.fail("'message' must be an object");
        return std::nullopt;
    }
    switch (type) {
    case MessageType::Launched: {
        RocketLaunched p;
        if (v.string(body, "type", path, p.type, true) && v.integer(body, "launchSpeed", path, 0, p.launchSpeed) &&
            v.string(body, "mission", path, p.mission, true))
            return p;
        break;
    }
    case MessageType::SpeedIncreased: {
        RocketSpeedIncreased p;
        if (v.integer(body, "by", path, 0, p.by)) return p;
        break;
    }
    case MessageType::SpeedDecreased: {
        RocketSpeedDecreased p;
        if (v.integer(body, "by", path, 0, p.by)) return p;
        break;
    }
    case MessageType::Exploded: {
        RocketExploded p;
        if (v.string(body, "reason", path, p.reason, false)) return p;
        break;
    }
    case MessageType::MissionChanged: {
        RocketMissionChanged p;
        if (v.string(body, "newMission", path, p.newMission, true)) return p;
        break;
    }
    }
    return std::nullopt;
}

CodecError invalid(std::string message) { return CodecError{"invalid_message", std::move(message)}; }

void appendInt(std::string& out, std::int64_t value) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, end);
}

void appendMember(std::string& out, std::string_view name, std::string_view value) {
    out += '"';
    out += name;
    out += "\":";
    appendJsonString(out, value);
}

void appendMember(std::string& out, std::string_view name, std::int64_t value) {
    out += '"';
    out += name;
    out += "\":";
    appendInt(out, value);
}

struct PayloadWriter {
    std::string& out;
    void operator()(const RocketLaunched& p) const {
        appendMember(out, "type", p.type);
        out += ',';
        appendMember(out, "launchSpeed", p.launchSpeed);
        out += ',';
        appendMember(out, "mission", p.mission);
    }
    void operator()(const RocketSpeedIncreased& p) const { appendMember(out, "by", p.by); }
    void operator()(const RocketSpeedDecreased& p) const { appendMember(out, "by", p.by); }
    void operator()(const RocketExploded& p) const { appendMember(out, "reason", p.reason); }
    void operator()(const RocketMissionChanged& p) const { appendMember(out, "newMission", p.newMission); }
};

}  // namespace

ParseResult parseMessage(std::string_view body) {
    JsonValue root;
    std::string syntaxError;
    if (!parseJson(body, root, syntaxError)) {
        if (syntaxError.starts_with("nesting")) return invalid(syntaxError);
        return CodecError{"malformed_json", syntaxError};
    }
    if (!root.isObject()) return invalid("body must be a JSON object");
    Validator v;
    const JsonValue* metadata = v.member(root, "metadata", "");
    const JsonValue* message = metadata ? v.member(root, "message", "") : nullptr;
    if (!v.ok()) return invalid(v.error());
    if (!metadata->isObject()) return invalid("'metadata' must be an object");

    Message result;
    std::string typeName;
    constexpr std::string_view path = "metadata.";
    if (!v.string(*metadata, "channel", path, result.channel, true) ||
        !v.integer(*metadata, "messageNumber", path, 1, result.number) ||
        !v.string(*metadata, "messageTime", path, result.time, false) ||
        !v.string(*metadata, "messageType", path, typeName, false))
        return invalid(v.error());
    if (result.channel.size() > 200) return invalid("'metadata.channel' must be at most 200 bytes");
    if (hasControlCharacter(result.channel))
        return invalid("'metadata.channel' must not contain control characters");
    if (!isRfc3339DateTime(result.time))
        return invalid("'metadata.messageTime' must be an RFC 3339 date-time with at most 9 fractional digits");
    const auto type = messageTypeFromString(typeName);
    if (!type) return invalid("'metadata.messageType' is not a known message type: '" + typeName + "'");
    auto payload = validatePayload(v, *type, *message);
    if (!payload) return invalid(v.error());
    result.payload = std::move(*payload);
    return result;
}

std::string encodePayload(const Payload& payload) {
    std::string out = "{";
    std::visit(PayloadWriter{out}, payload);
    out += '}';
    return out;
}

std::optional<Payload> decodePayload(MessageType type, std::string_view json) {
    JsonValue root;
    std::string error;
    if (!parseJson(json, root, error)) return std::nullopt;
    Validator v;
    return validatePayload(v, type, root);
}

std::string encodeMessage(const Message& message) {
    std::string out;
    out.reserve(256);
    out += "{\"metadata\":{";
    appendMember(out, "channel", message.channel);
    out += ',';
    appendMember(out, "messageNumber", message.number);
    out += ',';
    appendMember(out, "messageTime", message.time);
    out += ',';
    appendMember(out, "messageType", toString(message.type()));
    out += "},\"message\":{";
    std::visit(PayloadWriter{out}, message.payload);
    out += "}}";
    return out;
}

void appendRocketJson(std::string& out, const Rocket& rocket) {
    out += '{';
    appendMember(out, "channel", rocket.channel);
    out += ',';
    appendMember(out, "type", rocket.type);
    out += ',';
    appendMember(out, "speed", rocket.speed);
    out += ',';
    appendMember(out, "mission", rocket.mission);
    out += ',';
    appendMember(out, "status", toString(rocket.status));
    out += ",\"reason\":";
    if (rocket.reason) appendJsonString(out, *rocket.reason);
    else out += "null";
    out += ',';
    appendMember(out, "launchedAt", rocket.launchedAt);
    out += ',';
    appendMember(out, "updatedAt", rocket.updatedAt);
    out += ',';
    appendMember(out, "lastMessageNumber", rocket.lastMessageNumber);
    out += '}';
}

std::string encodeRocket(const Rocket& rocket) {
    std::string out;
    out.reserve(256);
    appendRocketJson(out, rocket);
    return out;
}

std::string encodeRockets(const std::vector<Rocket>& rockets) {
    std::string out;
    out.reserve(2 + rockets.size() * 256);
    out += '[';
    for (std::size_t i = 0; i < rockets.size(); ++i) {
        if (i > 0) out += ',';
        appendRocketJson(out, rockets[i]);
    }
    out += ']';
    return out;
}

namespace {

std::optional<Rocket> rocketFromJson(const JsonValue& object) {
    if (!object.isObject()) return std::nullopt;
    Rocket r;
    auto str = [&](std::string_view key, std::string& out) {
        const JsonValue* v = object.find(key);
        if (v == nullptr || !v->isString()) return false;
        out = v->string;
        return true;
    };
    auto num = [&](std::string_view key, std::int64_t& out) {
        const JsonValue* v = object.find(key);
        if (v == nullptr || v->kind != Kind::Integer || v->overflow) return false;
        out = v->integer;
        return true;
    };
    std::string status;
    if (!str("channel", r.channel) || !str("type", r.type) || !num("speed", r.speed) ||
        !str("mission", r.mission) || !str("status", status) || !str("launchedAt", r.launchedAt) ||
        !str("updatedAt", r.updatedAt) || !num("lastMessageNumber", r.lastMessageNumber))
        return std::nullopt;
    const auto parsedStatus = rocketStatusFromString(status);
    if (!parsedStatus) return std::nullopt;
    r.status = *parsedStatus;
    const JsonValue* reason = object.find("reason");
    if (reason == nullptr) return std::nullopt;
    if (reason->isString()) r.reason = reason->string;
    else if (reason->kind != Kind::Null) return std::nullopt;
    return r;
}

}  // namespace

std::optional<Rocket> decodeRocket(std::string_view json) {
    JsonValue root;
    std::string error;
    if (!parseJson(json, root, error)) return std::nullopt;
    return rocketFromJson(root);
}

std::optional<std::vector<Rocket>> decodeRockets(std::string_view json) {
    JsonValue root;
    std::string error;
    if (!parseJson(json, root, error) || root.kind != Kind::Array) return std::nullopt;
    std::vector<Rocket> rockets;
    rockets.reserve(root.items.size());
    for (const auto& item : root.items) {
        auto rocket = rocketFromJson(item);
        if (!rocket) return std::nullopt;
        rockets.push_back(std::move(*rocket));
    }
    return rockets;
}

std::string encodeError(std::string_view code, std::string_view message) {
    std::string out = "{\"error\":{";
    appendMember(out, "code", code);
    out += ',';
    appendMember(out, "message", message);
    out += "}}";
    return out;
}

void appendJsonString(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    out.append(text.data() + run, text.size() - run);
    out += '"';
}

}  // namespace rockets
