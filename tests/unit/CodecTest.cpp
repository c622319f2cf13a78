#include "Messages.h"

#include "rockets/Codec.h"

#include <gtest/gtest.h>

namespace rockets::test {

namespace {

std::string body(const std::string& metadata, const std::string& message) {
    return R"({"metadata":)" + metadata + R"(,"message":)" + message + "}";
}

std::string meta(const std::string& channel = R"("c1")", const std::string& number = "1",
                 const std::string& time = R"("2025-04-02T09:21:50.458989221+02:00")",
                 const std::string& type = R"("RocketLaunched")") {
    return R"({"channel":)" + channel + R"(,"messageNumber":)" + number + R"(,"messageTime":)" + time +
           R"(,"messageType":)" + type + "}";
}

const std::string kLaunch = R"({"type":"Falcon-9","launchSpeed":500,"mission":"ARTEMIS"})";

/// Parses `text` and expects a 400 with `code`; returns the message for inspection.
std::string rejected(const std::string& text, const std::string& code = "invalid_message") {
    ParseResult result = parseMessage(text);
    const auto* error = std::get_if<CodecError>(&result);
    EXPECT_NE(error, nullptr) << "accepted: " << text;
    if (error == nullptr) return {};
    EXPECT_EQ(error->code, code) << error->message;
    EXPECT_FALSE(error->message.empty());
    return error->message;
}

Message accepted(const std::string& text) {
    ParseResult result = parseMessage(text);
    if (const auto* error = std::get_if<CodecError>(&result)) {
        ADD_FAILURE() << "rejected (" << error->code << "): " << error->message << "\n" << text;
        return {};
    }
    return std::get<Message>(result);
}

}  // namespace

TEST(Codec, ParsesTheTestProgramsLaunch) {
    Message m = accepted(body(meta(), kLaunch));
    EXPECT_EQ(m, launched("c1", 1, "Falcon-9", 500, "ARTEMIS", "2025-04-02T09:21:50.458989221+02:00"));
}

TEST(Codec, ParsesEveryMessageType) {
    EXPECT_EQ(accepted(body(meta(R"("c")", "2", R"("2022-01-01T00:00:00Z")", R"("RocketSpeedIncreased")"),
                            R"({"by":3000})")),
              speedUp("c", 2, 3000, "2022-01-01T00:00:00Z"));
    EXPECT_EQ(accepted(body(meta(R"("c")", "3", R"("2022-01-01T00:00:00Z")", R"("RocketSpeedDecreased")"),
                            R"({"by":0})")),
              slowDown("c", 3, 0, "2022-01-01T00:00:00Z"));
    EXPECT_EQ(accepted(body(meta(R"("c")", "4", R"("2022-01-01T00:00:00Z")", R"("RocketExploded")"),
                            R"({"reason":""})")),
              exploded("c", 4, "", "2022-01-01T00:00:00Z"));
    EXPECT_EQ(accepted(body(meta(R"("c")", "5", R"("2022-01-01T00:00:00Z")", R"("RocketMissionChanged")"),
                            R"({"newMission":"SHUTTLE_MIR"})")),
              missionChanged("c", 5, "SHUTTLE_MIR", "2022-01-01T00:00:00Z"));
}

TEST(Codec, ExtraFieldsAreIgnoredEverywhere) {
    const std::string text = R"({"extra":[1,2,{"x":null}],"metadata":{"channel":"c1","messageNumber":1,)"
                             R"("messageTime":"2022-02-02T19:39:05Z","messageType":"RocketLaunched","v":2.5},)"
                             R"("message":{"type":"T","launchSpeed":0,"mission":"M","colour":"red","n":1e400}})";
    EXPECT_EQ(accepted(text), launched("c1", 1, "T", 0, "M", "2022-02-02T19:39:05Z"));
}

TEST(Codec, WhitespaceAndMemberOrderDoNotMatter) {
    const std::string text = " {\n\t\"message\" : {\"mission\":\"M\", \"launchSpeed\" : 7, \"type\":\"T\"} ,\r\n"
                             " \"metadata\":{\"messageType\":\"RocketLaunched\",\"messageTime\":\"2022-02-02T19:39:05Z\","
                             "\"messageNumber\":1,\"channel\":\"c\"} } ";
    EXPECT_EQ(accepted(text), launched("c", 1, "T", 7, "M", "2022-02-02T19:39:05Z"));
}

TEST(Codec, MalformedJsonIsMalformed) {
    for (const char* text : {"", "{", "{\"metadata\":", "nul", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":01}",
                             "{\"a\":1} x", "{\"a\":\"\x01\"}", "{\"a\":\"\\x\"}", "{\"a\":-}", "{\"a\":1.}",
                             "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":tru}"}) {
        rejected(text, "malformed_json");
    }
}

TEST(Codec, InvalidUtf8IsMalformed) {
    for (const char* bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc3"}) {
        rejected(body(meta(std::string("\"c") + bad + "\""), kLaunch), "malformed_json");
    }
    // Valid multi-byte UTF-8 and escapes are fine.
    EXPECT_EQ(accepted(body(meta(R"("ch-é-✓-😀-\u00e9\ud83d\ude00")"), kLaunch)).channel,
              "ch-é-✓-😀-é😀");
}

TEST(Codec, BodyMustBeObjectWithObjectMembers) {
    rejected("[]");
    rejected("42");
    rejected(R"("text")");
    rejected("{}");
    rejected(R"({"metadata":{}})");
    rejected(R"({"message":{}})");
    rejected(body("[]", kLaunch));
    rejected(body(meta(), "[]"));
    rejected(body(meta(), "null"));
    rejected(R"({"metadata":)" + meta() + R"(,"metadata":)" + meta() + R"(,"message":)" + kLaunch + "}");
}

TEST(Codec, NestingDeeperThan32IsRejectedWithoutRecursionBlowUp) {
    auto nested = [](int depth) {
        std::string extra(static_cast<std::size_t>(depth - 1), '[');
        extra += std::string(static_cast<std::size_t>(depth - 1), ']');
        return R"({"x":)" + extra + R"(,"metadata":)" + meta() + R"(,"message":)" + kLaunch + "}";
    };
    accepted(nested(32));  // the outer object is level 1, so 31 arrays reach 32
    rejected(nested(33));
    rejected(std::string(60000, '['));    // a body's worth of nesting (60 KB)
    rejected(std::string(1000000, '['));  // a megabyte of nesting: rejected at level 33, no stack overflow
    std::string objects;
    for (int i = 0; i < 100000; ++i) objects += R"({"a":)";
    EXPECT_NE(rejected(objects).find("32"), std::string::npos);
}

TEST(Codec, SyntaxErrorsNameTheByte) {
    EXPECT_NE(rejected("{\"a\": x}", "malformed_json").find("byte 6"), std::string::npos);
}

TEST(Codec, StringEscapesDecodeToUtf8) {
    const Message m = accepted(body(meta(), R"({"type":"T","launchSpeed":1,)"
                                            R"("mission":"a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00"})"));
    EXPECT_EQ(std::get<RocketLaunched>(m.payload).mission, "a\"b\\c/d\b\f\n\r\tAé€😀");
}

TEST(Codec, BytesAfterTheBodyAreMalformedWhateverTheyAre) {
    // Poco reads a string buffer as signed char, so 0xFF looked like the end of
    // input; the codec feeds it bytes, and 0xFF is just a stray byte.
    for (const std::string& tail : std::vector<std::string>{"\xff", " \xff}", std::string(1, '\0'), "}", " x"}) {
        rejected(body(meta(), kLaunch) + tail, "malformed_json");
    }
}

TEST(Codec, IntegersBeyondInt64AreNeverWrapped) {
    // Poco 1.11 converts 18446744073709551617 (2^64 + 1) to 1: literals are read by the codec.
    for (const char* number : {"18446744073709551617", "18446744073709551616", "9223372036854775808",
                               "9223372036854775807", "36893488147419103233", "-9223372036854775809",
                               "-18446744073709551617"}) {
        rejected(body(meta(R"("c")", number), kLaunch));
        rejected(body(meta(), std::string(R"({"type":"T","mission":"M","launchSpeed":)") + number + "}"));
    }
}

TEST(Codec, NumbersBeyondEveryRangeAreIgnoredInUnknownMembers) {
    for (const char* number : {"1e400", "-1e400", "1e-400", "99999999999999999999999999999999", "-99999999999999999999999999",
                               "18446744073709551617", "123456789012345678901234567890.5e999999"}) {
        const std::string extra = std::string(R"({"x":)") + number + R"(,"y":[)" + number + "," + number + "]}";
        EXPECT_EQ(accepted(R"({"extra":)" + extra + R"(,"metadata":)" + meta() + R"(,"message":)" + kLaunch + "}"),
                  launched("c1", 1, "Falcon-9", 500, "ARTEMIS", "2025-04-02T09:21:50.458989221+02:00"))
            << number;
    }
    // A literal that is out of range and then malformed stays malformed.
    rejected(R"({"x":1e400e5,"metadata":)" + meta() + R"(,"message":)" + kLaunch + "}", "malformed_json");
    rejected(R"({"x":-99999999999999999999999-1e-400,"metadata":)" + meta() + R"(,"message":)" + kLaunch + "}",
             "malformed_json");
    rejected(R"({"x":"1e400","metadata":)" + meta(R"("c")", "1e400") + R"(,"message":)" + kLaunch + "}");
}

TEST(Codec, MemberNamesAreComparedDecoded) {
    // An escaped name is the same name.
    const std::string escaped = R"({"\u006detadata":{"\u0063hannel":"c","messageNumber":1,)"
                                R"("messageTime":"2022-02-02T19:39:05Z","messageType":"RocketExploded"},)"
                                R"("message":{"reason":"r"}})";
    EXPECT_EQ(accepted(escaped), exploded("c", 1, "r", "2022-02-02T19:39:05Z"));
    // Poco hands member names over as C strings, so "channel\u0000x" would look like
    // "channel"; it is another member, neither the channel nor a duplicate of it.
    const std::string nul = R"({"metadata":{"channel":"c","channel\u0000x":"d","\\u0000":1,"messageNumber":1,)"
                            R"("messageTime":"2022-02-02T19:39:05Z","messageType":"RocketExploded"},)"
                            R"("message":{"reason":"r","reason\u0000":7}})";
    EXPECT_EQ(accepted(nul), exploded("c", 1, "r", "2022-02-02T19:39:05Z"));
    rejected(R"({"metadata\u0000":)" + meta() + R"(,"message":)" + kLaunch + "}");
}

TEST(Codec, ChannelRules) {
    rejected(body(meta("1"), kLaunch));
    rejected(body(meta("null"), kLaunch));
    rejected(body(meta(R"("")"), kLaunch));
    accepted(body(meta("\"" + std::string(200, 'a') + "\""), kLaunch));
    rejected(body(meta("\"" + std::string(201, 'a') + "\""), kLaunch));
    accepted(body(meta("\"" + std::string(100, 'a') + std::string(50, 'a') + "é\""), kLaunch));  // 152 bytes
    rejected(body(meta("\"" + std::string(100, 'x') + std::string(50, '\x01') + "\""), kLaunch), "malformed_json");
    rejected(body(meta(R"("a\nb")"), kLaunch));
    rejected(body(meta(R"("a\u0000b")"), kLaunch));
    rejected(body(meta(R"("a\u007fb")"), kLaunch));
    rejected(body(meta(R"("a\u0085b")"), kLaunch));
    accepted(body(meta(R"("a b/c?d%20")"), kLaunch));
}

TEST(Codec, MessageNumberMustBeAnIntegerInRange) {
    accepted(body(meta(R"("c")", "1"), kLaunch));
    EXPECT_EQ(accepted(body(meta(R"("c")", "9007199254740991"), kLaunch)).number, 9007199254740991);
    rejected(body(meta(R"("c")", "9007199254740992"), kLaunch));                // 2^53
    rejected(body(meta(R"("c")", "99999999999999999999999999"), kLaunch));      // beyond int64
    rejected(body(meta(R"("c")", "0"), kLaunch));
    rejected(body(meta(R"("c")", "-1"), kLaunch));
    rejected(body(meta(R"("c")", "1.0"), kLaunch));
    rejected(body(meta(R"("c")", "1e0"), kLaunch));
    rejected(body(meta(R"("c")", "1.5"), kLaunch));
    rejected(body(meta(R"("c")", R"("1")"), kLaunch));
    rejected(body(meta(R"("c")", "true"), kLaunch));
    rejected(body(meta(R"("c")", "null"), kLaunch));
}

TEST(Codec, MessageTimeMustBeRfc3339AndIsKeptVerbatim) {
    for (const char* good : {"2025-04-02T09:21:50.458989221+02:00", "2022-02-02T19:39:05Z", "2022-02-02t19:39:05z",
                             "2022-02-02T19:39:05.8+01:00", "2024-02-29T23:59:60-12:30", "2022-02-02T19:39:05.123456Z"}) {
        EXPECT_EQ(accepted(body(meta(R"("c")", "1", std::string("\"") + good + "\""), kLaunch)).time, good);
    }
    for (const char* bad : {"", "2022-02-02", "2022-02-02 19:39:05Z", "2022-02-02T19:39:05", "2022-02-02T19:39:05.Z",
                            "2022-02-02T19:39:05.1234567890Z", "2022-13-02T19:39:05Z", "2023-02-29T19:39:05Z",
                            "2022-02-02T24:00:00Z", "2022-02-02T19:60:00Z", "2022-02-02T19:39:05+0200",
                            "2022-02-02T19:39:05+24:00", "22-02-02T19:39:05Z", "2022-02-02T19:39:05Zjunk",
                            "yesterday"}) {
        rejected(body(meta(R"("c")", "1", std::string("\"") + bad + "\""), kLaunch));
    }
    rejected(body(meta(R"("c")", "1", "1643830745"), kLaunch));
}

TEST(Codec, MessageTypeMustBeKnown) {
    rejected(body(meta(R"("c")", "1", R"("2022-02-02T19:39:05Z")", R"("RocketLanded")"), kLaunch));
    rejected(body(meta(R"("c")", "1", R"("2022-02-02T19:39:05Z")", R"("rocketlaunched")"), kLaunch));
    rejected(body(meta(R"("c")", "1", R"("2022-02-02T19:39:05Z")", "5"), kLaunch));
}

TEST(Codec, LaunchPayloadRules) {
    auto launch = [](const std::string& payload) { return body(meta(), payload); };
    accepted(launch(R"({"type":"T","launchSpeed":0,"mission":"M"})"));
    accepted(launch(R"({"type":"T","launchSpeed":9007199254740991,"mission":"M"})"));
    rejected(launch(R"({"type":"","launchSpeed":1,"mission":"M"})"));
    rejected(launch(R"({"type":"T","launchSpeed":1,"mission":""})"));
    rejected(launch(R"({"type":1,"launchSpeed":1,"mission":"M"})"));
    rejected(launch(R"({"launchSpeed":1,"mission":"M"})"));
    rejected(launch(R"({"type":"T","mission":"M"})"));
    rejected(launch(R"({"type":"T","launchSpeed":-1,"mission":"M"})"));
    rejected(launch(R"({"type":"T","launchSpeed":1.0,"mission":"M"})"));
    rejected(launch(R"({"type":"T","launchSpeed":"500","mission":"M"})"));
    rejected(launch(R"({"type":"T","launchSpeed":9007199254740992,"mission":"M"})"));
}

TEST(Codec, SpeedChangeAndOtherPayloadRules) {
    auto of = [](const char* type, const std::string& payload) {
        return body(meta(R"("c")", "2", R"("2022-02-02T19:39:05Z")", std::string("\"") + type + "\""), payload);
    };
    for (const char* type : {"RocketSpeedIncreased", "RocketSpeedDecreased"}) {
        accepted(of(type, R"({"by":0})"));
        accepted(of(type, R"({"by":9007199254740991})"));
        rejected(of(type, R"({"by":-1})"));
        rejected(of(type, R"({"by":2.0})"));
        rejected(of(type, R"({"by":"2"})"));
        rejected(of(type, R"({"by":9007199254740992})"));
        rejected(of(type, R"({})"));
    }
    accepted(of("RocketExploded", R"({"reason":"PRESSURE_VESSEL_FAILURE"})"));
    rejected(of("RocketExploded", R"({"reason":null})"));
    rejected(of("RocketExploded", R"({})"));
    accepted(of("RocketMissionChanged", R"({"newMission":"X"})"));
    rejected(of("RocketMissionChanged", R"({"newMission":""})"));
    rejected(of("RocketMissionChanged", R"({"newMission":7})"));
    // A payload of another type does not satisfy this type's rules.
    rejected(of("RocketMissionChanged", R"({"by":7})"));
}

TEST(Codec, EncodeMessageRoundTrips) {
    for (const Message& m : {launched("c\"\\\n\x01é", 1, "T\"", 0, "M\t"), speedUp("c", 2, 9007199254740991),
                             slowDown("c", 3, 0), exploded("c", 4, ""), missionChanged("c", 5, "MARS ✓")}) {
        if (m.channel.find('\n') != std::string::npos) {
            // Control characters are invalid in a channel; check the string codec alone.
            EXPECT_EQ(decodePayload(m.type(), encodePayload(m.payload)), m.payload);
            continue;
        }
        EXPECT_EQ(accepted(encodeMessage(m)), m);
        EXPECT_EQ(decodePayload(m.type(), encodePayload(m.payload)), m.payload);
    }
}

TEST(Codec, CanonicalPayloadsAreEqualExactlyWhenPayloadsAre) {
    EXPECT_EQ(encodePayload(RocketSpeedIncreased{5}), R"({"by":5})");
    EXPECT_EQ(encodePayload(RocketLaunched{"T", 1, "M"}), R"({"type":"T","launchSpeed":1,"mission":"M"})");
    EXPECT_NE(encodePayload(RocketSpeedIncreased{5}), encodePayload(RocketSpeedIncreased{6}));
    EXPECT_FALSE(decodePayload(MessageType::Launched, R"({"by":5})").has_value());
}

TEST(Codec, RocketJsonHasTheContractFieldsAndRoundTrips) {
    Rocket r = rocket("193270a9-c9cf-404a-8f83-838e71d9ae67", 7);
    EXPECT_EQ(encodeRocket(r),
              R"({"channel":"193270a9-c9cf-404a-8f83-838e71d9ae67","type":"Falcon-9","speed":500,)"
              R"("mission":"ARTEMIS","status":"ACTIVE","reason":null,"launchedAt":"2022-02-02T19:39:05.86337+01:00",)"
              R"("updatedAt":"2022-02-02T19:39:17Z","lastMessageNumber":7})");
    EXPECT_EQ(decodeRocket(encodeRocket(r)), r);
    Rocket boom = rocket("b", 3, "T", -5, "M", RocketStatus::Exploded);
    EXPECT_NE(encodeRocket(boom).find(R"("status":"EXPLODED","reason":"PRESSURE_VESSEL_FAILURE")"), std::string::npos);
    EXPECT_EQ(decodeRockets(encodeRockets({r, boom})), (std::vector<Rocket>{r, boom}));
    EXPECT_EQ(encodeRockets({}), "[]");
}

TEST(Codec, ErrorBodyShape) {
    EXPECT_EQ(encodeError("not_found", "no \"x\""), R"({"error":{"code":"not_found","message":"no \"x\""}})");
}

}  // namespace rockets::test
