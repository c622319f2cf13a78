#pragma once

#include "rockets/Export.h"
#include "rockets/Message.h"
#include "rockets/Rocket.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rockets {

/// Why a body was rejected: `code` is `malformed_json` or `invalid_message`,
/// `message` names the offending field for a human.
struct CodecError {
    std::string code;
    std::string message;
};

using ParseResult = std::variant<Message, CodecError>;

/// Parses and validates a POST /messages body per DESIGN §2 (strict JSON, UTF-8,
/// depth ≤ 32, integers ≤ 2^53−1 written as integers). Never throws.
ROCKETS_CORE_API ParseResult parseMessage(std::string_view body);

/// The wire form of a message, `{"metadata":{...},"message":{...}}`; parseMessage
/// of the result gives back an equal Message.
ROCKETS_CORE_API std::string encodeMessage(const Message& message);

/// Canonical JSON of a payload (fixed member order, no extra members): two payloads
/// are equal exactly when their encodings are equal.
ROCKETS_CORE_API std::string encodePayload(const Payload& payload);

/// Inverse of encodePayload for a payload of `type`; nullopt if `json` is not one.
ROCKETS_CORE_API std::optional<Payload> decodePayload(MessageType type, std::string_view json);

/// Appends the API form of a visible rocket (DESIGN §2) to `out`.
ROCKETS_CORE_API void appendRocketJson(std::string& out, const Rocket& rocket);

/// The API form of one rocket / a JSON array of rockets.
ROCKETS_CORE_API std::string encodeRocket(const Rocket& rocket);
ROCKETS_CORE_API std::string encodeRockets(const std::vector<Rocket>& rockets);

/// Parses the API form of a rocket (as served by GET /rockets/{channel});
/// nullopt when a field is missing or has the wrong type.
ROCKETS_CORE_API std::optional<Rocket> decodeRocket(std::string_view json);

/// Parses a JSON array of rockets in API form (GET /rockets); nullopt on error.
ROCKETS_CORE_API std::optional<std::vector<Rocket>> decodeRockets(std::string_view json);

/// True for an RFC 3339 date-time with 0–9 fractional digits (DESIGN §2 messageTime).
ROCKETS_CORE_API bool isRfc3339DateTime(std::string_view text);

/// `{"error":{"code":...,"message":...}}`.
ROCKETS_CORE_API std::string encodeError(std::string_view code, std::string_view message);

/// Appends `text` as a JSON string literal (quoted, escaped) to `out`.
ROCKETS_CORE_API void appendJsonString(std::string& out, std::string_view text);

}  // namespace rockets
