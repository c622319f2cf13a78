#pragma once

#include "rockets/Rocket.h"
#include "rockets/RocketStore.h"

#include <string>
#include <string_view>

namespace rockets::redis {

/// Members of the list indexes: one ZSET per (sort field, direction), every score
/// 0, so Redis orders members bytewise (memcmp), which is how rocketLess compares.
/// A member is `<encoded value><separator><channel>`: the encoding is
/// order-preserving and prefix-free, so ties in the value fall through to the
/// channel, ascending, in both directions. The channel index holds bare channels
/// and is read backwards for `order=desc` (channel itself is the sort key there).
struct SortKey {
    /// Index name, e.g. "speed:a" / "speed:d"; "channel" for the channel index.
    static std::string indexName(SortField field, bool descending);

    /// The byte that ends the encoded value in members of that index ('\0' for
    /// ascending, '\xff' for descending; empty for the channel index).
    static std::string_view separator(SortField field, bool descending);

    /// The member of `rocket` in that index.
    static std::string member(const Rocket& rocket, SortField field, bool descending);

    /// Order-preserving, prefix-free: 0x00 -> 01 01, 0x01 -> 01 02, then a 0x00 terminator.
    static std::string encodeString(std::string_view value);

    /// Order-preserving fixed width: 16 hex digits of the value with its sign bit flipped.
    static std::string encodeInteger(std::int64_t value);
};

}  // namespace rockets::redis
