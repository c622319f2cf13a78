#include "rockets/RocketCodec.h"

#include "JsonReader.h"
#include "JsonWriter.h"

namespace rockets {

using json::appendMember;

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

json::Fields rocketFields() {
    return json::Fields{"channel",    "type",      "speed",     "mission",          "status",
                        "reason",     "launchedAt", "updatedAt", "lastMessageNumber"};
}

std::optional<Rocket> rocketFrom(const json::Fields& fields) {
    Rocket r;
    auto str = [&](std::string_view key, std::string& out) {
        const json::Field& v = fields[key];
        if (v.kind != json::Kind::String) return false;
        out = v.string;
        return true;
    };
    auto num = [&](std::string_view key, std::int64_t& out) {
        const json::Field& v = fields[key];
        if (v.kind != json::Kind::Integer || v.overflow) return false;
        out = v.integer;
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
    const json::Field& reason = fields["reason"];
    if (reason.kind == json::Kind::String) r.reason = reason.string;
    else if (reason.kind != json::Kind::Null) return std::nullopt;
    return r;
}

}  // namespace

std::optional<Rocket> decodeRocket(std::string_view json) {
    json::Fields fields = rocketFields();
    const json::ReadResult read = json::readObject(json, fields);
    const auto* top = std::get_if<json::Kind>(&read);
    if (top == nullptr || *top != json::Kind::Object) return std::nullopt;
    return rocketFrom(fields);
}

std::optional<std::vector<Rocket>> decodeRockets(std::string_view json) {
    json::Fields element = rocketFields();
    std::vector<Rocket> rockets;
    bool ok = true;
    const json::ReadResult read = json::readArray(json, element, [&](json::Kind kind) {
        std::optional<Rocket> rocket = kind == json::Kind::Object ? rocketFrom(element) : std::nullopt;
        if (rocket) rockets.push_back(std::move(*rocket));
        else ok = false;
    });
    const auto* top = std::get_if<json::Kind>(&read);
    if (top == nullptr || *top != json::Kind::Array || !ok) return std::nullopt;
    return rockets;
}

}  // namespace rockets
