#pragma once

#include "rockets/Export.h"
#include "rockets/Message.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>

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

}  // namespace rockets
