#pragma once

// Internal to core: the DESIGN §2 rules applied to a body read into Fields.

#include "JsonFields.h"

#include "rockets/MessageCodec.h"

#include <optional>

namespace rockets {

/// The members of a payload (`message`) that validation reads, for any type.
json::Fields payloadFields();

/// The members of a POST /messages body that validation reads.
struct MessageFields {
    json::Fields metadata{"channel", "messageNumber", "messageTime", "messageType"};
    json::Fields payload = payloadFields();
    json::Fields root{"metadata", "message"};

    MessageFields();
    MessageFields(const MessageFields&) = delete;  // root points into this object
    MessageFields& operator=(const MessageFields&) = delete;
};

/// The message in `body`, whose top-level value is of kind `top`, or the
/// `invalid_message` error naming the first rule broken.
ParseResult validateMessage(json::Kind top, const MessageFields& body);

/// The payload of `type` in `payload`, an object read into payloadFields();
/// nullopt when a rule is broken.
std::optional<Payload> validatePayload(MessageType type, const json::Fields& payload);

}  // namespace rockets
