// libFuzzer target: the message codec. Every input is answered with a Message
// or a CodecError, never an exception; an accepted message satisfies DESIGN §2,
// re-encodes to JSON that parses back to the same message, and the payload and
// rocket codecs hold their round trips on the same (fuzzed) strings.
#include "FuzzCheck.h"

#include "rockets/Codec.h"

#include <array>
#include <cstdint>
#include <exception>

namespace {

using namespace rockets;
using fuzz::check;
using fuzz::checkIsJson;

constexpr std::array kTypes = {MessageType::Launched, MessageType::SpeedIncreased, MessageType::SpeedDecreased,
                               MessageType::Exploded, MessageType::MissionChanged};

bool inRange(std::int64_t value) { return value >= 0 && value <= kMaxJsonInteger; }

void checkPayload(const Payload& payload) {
    struct Rules {
        bool operator()(const RocketLaunched& p) const {
            return !p.type.empty() && !p.mission.empty() && isValidUtf8(p.type) && isValidUtf8(p.mission) &&
                   inRange(p.launchSpeed);
        }
        bool operator()(const RocketSpeedIncreased& p) const { return inRange(p.by); }
        bool operator()(const RocketSpeedDecreased& p) const { return inRange(p.by); }
        bool operator()(const RocketExploded& p) const { return isValidUtf8(p.reason); }
        bool operator()(const RocketMissionChanged& p) const { return !p.newMission.empty() && isValidUtf8(p.newMission); }
    };
    check(std::visit(Rules{}, payload), "payload rules (non-empty, UTF-8, 0..2^53-1)", encodePayload(payload));
}

/// The rocket codec on strings the message codec accepted.
void checkRocketRoundTrip(const Message& m) {
    Rocket r;
    r.channel = m.channel;
    r.type = m.time;
    r.mission = encodePayload(m.payload);
    r.speed = m.number % 2 == 0 ? m.number : -m.number;
    r.status = m.number % 2 == 0 ? RocketStatus::Active : RocketStatus::Exploded;
    if (m.number % 3 == 0) r.reason = m.channel;
    r.launchedAt = m.time;
    r.updatedAt = m.channel;
    r.lastMessageNumber = m.number;
    const std::string one = encodeRocket(r);
    checkIsJson(one, "encodeRocket writes JSON");
    check(decodeRocket(one) == r, "decodeRocket(encodeRocket(r)) == r", one);
    const std::vector<Rocket> two = {r, r};
    check(decodeRockets(encodeRockets(two)) == two, "decodeRockets(encodeRockets(rs)) == rs", one);
}

void checkAccepted(const Message& m) {
    check(!m.channel.empty() && m.channel.size() <= 200, "channel is 1-200 bytes", m.channel);
    check(isValidUtf8(m.channel) && isValidUtf8(m.time), "decoded strings are UTF-8", m.channel);
    check(m.number >= 1 && m.number <= kMaxJsonInteger, "messageNumber is 1..2^53-1");
    check(isRfc3339DateTime(m.time), "messageTime is RFC 3339", m.time);
    checkPayload(m.payload);

    const std::string encoded = encodeMessage(m);
    checkIsJson(encoded, "encodeMessage writes JSON");
    const ParseResult again = parseMessage(encoded);
    const auto* reparsed = std::get_if<Message>(&again);
    check(reparsed != nullptr && *reparsed == m, "parseMessage(encodeMessage(m)) == m", encoded);

    const std::string payload = encodePayload(m.payload);
    checkIsJson(payload, "encodePayload writes JSON");
    check(decodePayload(m.type(), payload) == m.payload, "decodePayload(encodePayload(p)) == p", payload);
    checkRocketRoundTrip(m);
}

void checkRejected(const CodecError& error) {
    check(error.code == "malformed_json" || error.code == "invalid_message", "error code", error.code);
    check(!error.message.empty(), "error message is not empty");
    checkIsJson(encodeError(error.code, error.message), "encodeError writes JSON");
}

/// The decoders the stores and the simulator use, on the raw input: whatever they
/// accept re-encodes to what they accept again. One payload type per input (they
/// share the reader), chosen by the input's length.
void checkDecoders(std::string_view input) {
    const MessageType type = kTypes[input.size() % kTypes.size()];
    if (auto payload = decodePayload(type, input))
        check(decodePayload(type, encodePayload(*payload)) == payload, "decodePayload is stable");
    if (auto rocket = decodeRocket(input)) check(decodeRocket(encodeRocket(*rocket)) == rocket, "decodeRocket is stable");
    if (auto rockets = decodeRockets(input))
        check(decodeRockets(encodeRockets(*rockets)) == rockets, "decodeRockets is stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        const ParseResult result = parseMessage(input);
        if (const auto* message = std::get_if<Message>(&result)) checkAccepted(*message);
        else checkRejected(std::get<CodecError>(result));
        checkDecoders(input);
        checkIsJson(encodeError("not_found", input), "encodeError writes JSON for any bytes");
        (void)isRfc3339DateTime(input);
    } catch (const std::exception& e) {
        fuzz::broken("exception escaped", e.what());
    } catch (...) {
        fuzz::broken("unknown exception escaped");
    }
    return 0;
}
