#include "MessageValidation.h"

#include "rockets/Rfc3339.h"

namespace rockets {

using json::Field;
using json::Fields;
using json::Kind;

namespace {

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
    const Field* member(const Fields& object, std::string_view key, std::string_view path) {
        const Field& field = object[key];
        if (field.occurrences > 1) {
            fail("duplicate member " + quoted(path, key));
            return nullptr;
        }
        if (field.occurrences == 0) {
            fail("missing member " + quoted(path, key));
            return nullptr;
        }
        return &field;
    }

    bool string(const Fields& object, std::string_view key, std::string_view path, std::string& out, bool nonEmpty) {
        const Field* v = member(object, key, path);
        if (v == nullptr) return false;
        if (v->kind != Kind::String) return fail(quoted(path, key) + " must be a string");
        if (nonEmpty && v->string.empty()) return fail(quoted(path, key) + " must not be empty");
        out = v->string;
        return true;
    }

    bool integer(const Fields& object, std::string_view key, std::string_view path, std::int64_t min,
                 std::int64_t& out) {
        const Field* v = member(object, key, path);
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

bool hasControlCharacter(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) return true;
        // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return true;
    }
    return false;
}

std::optional<Payload> payloadOf(Validator& v, MessageType type, const Fields& body) {
    constexpr std::string_view path = "message.";
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

}  // namespace

Fields payloadFields() { return Fields{"type", "launchSpeed", "mission", "by", "reason", "newMission"}; }

MessageFields::MessageFields() {
    root.nest("metadata", metadata);
    root.nest("message", payload);
}

ParseResult validateMessage(Kind top, const MessageFields& body) {
    if (top != Kind::Object) return invalid("body must be a JSON object");
    Validator v;
    const Field* metadata = v.member(body.root, "metadata", "");
    const Field* message = metadata ? v.member(body.root, "message", "") : nullptr;
    if (!v.ok()) return invalid(v.error());
    if (metadata->kind != Kind::Object) return invalid("'metadata' must be an object");

    Message result;
    std::string typeName;
    constexpr std::string_view path = "metadata.";
    if (!v.string(body.metadata, "channel", path, result.channel, true) ||
        !v.integer(body.metadata, "messageNumber", path, 1, result.number) ||
        !v.string(body.metadata, "messageTime", path, result.time, false) ||
        !v.string(body.metadata, "messageType", path, typeName, false))
        return invalid(v.error());
    if (result.channel.size() > 200) return invalid("'metadata.channel' must be at most 200 bytes");
    if (hasControlCharacter(result.channel))
        return invalid("'metadata.channel' must not contain control characters");
    if (!isRfc3339DateTime(result.time))
        return invalid("'metadata.messageTime' must be an RFC 3339 date-time with at most 9 fractional digits");
    const auto type = messageTypeFromString(typeName);
    if (!type) return invalid("'metadata.messageType' is not a known message type: '" + typeName + "'");
    if (message->kind != Kind::Object) return invalid("'message' must be an object");
    auto payload = payloadOf(v, *type, body.payload);
    if (!payload) return invalid(v.error());
    result.payload = std::move(*payload);
    return result;
}

std::optional<Payload> validatePayload(MessageType type, const Fields& payload) {
    Validator v;
    return payloadOf(v, type, payload);
}

}  // namespace rockets
