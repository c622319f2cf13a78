#include "rockets/MessageCodec.h"

#include "JsonReader.h"
#include "JsonWriter.h"
#include "MessageValidation.h"

namespace rockets {

using json::appendMember;

namespace {

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
    MessageFields fields;
    const json::ReadResult read = json::readObject(body, fields.root);
    if (const auto* error = std::get_if<json::ReadError>(&read)) {
        // Too deep or out of range is well-formed JSON the rules do not accept.
        const bool malformed = error->kind == json::ReadError::Kind::Syntax;
        return CodecError{malformed ? "malformed_json" : "invalid_message", error->message};
    }
    return validateMessage(std::get<json::Kind>(read), fields);
}

std::string encodePayload(const Payload& payload) {
    std::string out = "{";
    std::visit(PayloadWriter{out}, payload);
    out += '}';
    return out;
}

std::optional<Payload> decodePayload(MessageType type, std::string_view json) {
    json::Fields fields = payloadFields();
    const json::ReadResult read = json::readObject(json, fields);
    const auto* top = std::get_if<json::Kind>(&read);
    if (top == nullptr || *top != json::Kind::Object) return std::nullopt;
    return validatePayload(type, fields);
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

}  // namespace rockets
