#include "SortKey.h"

#include <cstdint>

namespace rockets::redis {

namespace {

bool isInteger(SortField field) { return field == SortField::Speed || field == SortField::LastMessageNumber; }

std::string fieldValue(const Rocket& rocket, SortField field) {
    switch (field) {
    case SortField::Channel: return rocket.channel;
    case SortField::Type: return SortKey::encodeString(rocket.type);
    case SortField::Mission: return SortKey::encodeString(rocket.mission);
    case SortField::Speed: return SortKey::encodeInteger(rocket.speed);
    case SortField::Status: return SortKey::encodeString(toString(rocket.status));
    case SortField::LaunchedAt: return SortKey::encodeString(rocket.launchedAt);
    case SortField::UpdatedAt: return SortKey::encodeString(rocket.updatedAt);
    case SortField::LastMessageNumber: return SortKey::encodeInteger(rocket.lastMessageNumber);
    }
    return {};
}

}  // namespace

std::string SortKey::indexName(SortField field, bool descending) {
    if (field == SortField::Channel) return "channel";
    return std::string(toString(field)) + (descending ? ":d" : ":a");
}

std::string_view SortKey::separator(SortField field, bool descending) {
    using namespace std::string_view_literals;
    if (field == SortField::Channel) return {};
    return descending ? "\xff"sv : "\0"sv;
}

std::string SortKey::member(const Rocket& rocket, SortField field, bool descending) {
    if (field == SortField::Channel) return rocket.channel;
    std::string value = fieldValue(rocket, field);
    // Integers are fixed width and need no terminator; give them one anyway so
    // every member splits at its first separator byte.
    if (isInteger(field)) value += '\0';
    if (descending) {
        // Inverting every byte of a prefix-free encoding reverses its order. Encoded
        // bytes are never 0x00 before the terminator, so after inversion the
        // terminator is the value's only 0xFF and still marks where the channel starts.
        for (char& c : value) c = static_cast<char>(~static_cast<unsigned char>(c));
    }
    value += rocket.channel;
    return value;
}

std::string SortKey::encodeString(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 1);
    for (char c : value) {
        if (c == '\0' || c == '\x01') {
            out += '\x01';
            out += static_cast<char>(c + 1);
        } else {
            out += c;
        }
    }
    out += '\0';
    return out;
}

std::string SortKey::encodeInteger(std::int64_t value) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto bits = static_cast<std::uint64_t>(value) ^ (std::uint64_t{1} << 63);
    std::string out(16, '0');
    for (int i = 0; i < 16; ++i) out[15 - i] = kHex[(bits >> (4 * i)) & 0xF];
    return out;
}

}  // namespace rockets::redis
