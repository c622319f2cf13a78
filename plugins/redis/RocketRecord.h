#pragma once

#include "rockets/Rocket.h"

#include <string>
#include <string_view>

namespace rockets::redis {

/// How a rocket is stored in the records HASH (the channel is the field):
/// `<version>;<speed>;<status>;` with status A(ctive), E(xploded) or U(nlaunched),
/// then type, mission, launchedAt, updatedAt and, when present, reason, each as
/// `<byte length>:<bytes>`. Any byte may occur in the strings; decoding is strict.
struct RocketRecord {
    static std::string encode(const Rocket& rocket);

    /// The rocket of `channel` stored as `record`; StoreCorruptException when it is not one.
    static Rocket decode(const std::string& channel, std::string_view record);
};

}  // namespace rockets::redis
