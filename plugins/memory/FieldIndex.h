#pragma once

#include "rockets/Rocket.h"

#include <cstdint>
#include <cstring>
#include <iterator>
#include <set>
#include <string>
#include <type_traits>
#include <utility>

namespace rockets::memory {

/// The visible rockets in the ascending order of rocketLess for the field `Member`:
/// by its value, ties by channel ascending. Each entry carries a copy of the value and
/// the channel's first eight bytes, so a comparison rarely dereferences the rocket: a
/// tree walk over 100k rockets is otherwise dominated by cache misses on the rockets.
/// Values compare with `<`, which agrees with rocketLess for strings and integers, and
/// for RocketStatus because ACTIVE < EXPLODED in both the enum and the wire names (the
/// conformance suite checks every field both ways). Not thread-safe; the store locks.
template <auto Member>
class FieldIndex {
public:
    using Value = std::remove_cvref_t<decltype(std::declval<const Rocket&>().*Member)>;

    /// One rocket's position. `rocket` points into the store's node-based map.
    struct Entry {
        Value value;
        std::uint64_t channelPrefix;
        const Rocket* rocket;
    };

private:
    // Defined before Entries: clang instantiates std::set<Entry, Less>, and so Less
    // and what it names, at the const_iterator alias below.

    /// A lookup key that sorts before every entry with the same value.
    struct ValueOnly {
        const Value& value;
    };

    struct Less {
        using is_transparent = void;
        bool operator()(const Entry& a, const Entry& b) const {
            return less(a.value, a.channelPrefix, *a.rocket, b.value, b.channelPrefix, *b.rocket);
        }
        bool operator()(const Entry& a, const Rocket& b) const {
            return less(a.value, a.channelPrefix, *a.rocket, b.*Member, channelPrefix(b.channel), b);
        }
        bool operator()(const Rocket& a, const Entry& b) const {
            return less(a.*Member, channelPrefix(a.channel), a, b.value, b.channelPrefix, *b.rocket);
        }
        bool operator()(const Entry& a, const ValueOnly& b) const { return a.value < b.value; }
        bool operator()(const ValueOnly& a, const Entry& b) const { return a.value < b.value; }

        static bool less(const Value& av, std::uint64_t ap, const Rocket& a, const Value& bv, std::uint64_t bp,
                         const Rocket& b) {
            if (av < bv) return true;
            if (bv < av) return false;
            if (ap != bp) return ap < bp;
            return a.channel < b.channel;
        }
    };

    using Entries = std::set<Entry, Less>;

public:
    using const_iterator = typename Entries::const_iterator;

    /// True when `a` and `b` have the same value in this field.
    static bool sameValue(const Rocket& a, const Rocket& b) { return a.*Member == b.*Member; }

    /// Adds `rocket`; it must not be in the index.
    void insert(const Rocket& rocket) {
        entries_.insert(Entry{rocket.*Member, channelPrefix(rocket.channel), &rocket});
    }
    /// Removes `rocket`, found by its current value, so call it before the value changes.
    void erase(const Rocket& rocket) {
        auto it = entries_.find(rocket);
        if (it != entries_.end()) entries_.erase(it);
    }

    const_iterator begin() const { return entries_.begin(); }
    const_iterator end() const { return entries_.end(); }

    /// The entries whose value is `value`: one stretch of the index, channel-ascending.
    /// Two O(log n) searches: libstdc++'s equal_range for a transparent comparator
    /// steps through the stretch to find its end.
    std::pair<const_iterator, const_iterator> run(const Value& value) const {
        return {entries_.lower_bound(ValueOnly{value}), entries_.upper_bound(ValueOnly{value})};
    }

    /// The first entry with the same value as the entry before `runEnd` (which must not
    /// be begin()): the start of the run of equal values that ends at `runEnd`.
    const_iterator runStart(const_iterator runEnd) const {
        return entries_.lower_bound(ValueOnly{std::prev(runEnd)->value});
    }

private:
    /// The first eight bytes of `channel`, big-endian and zero-padded, so that unequal
    /// prefixes order like the channels do (memcmp of unsigned bytes).
    static std::uint64_t channelPrefix(const std::string& channel) {
        unsigned char bytes[8] = {};
        std::memcpy(bytes, channel.data(), channel.size() < 8 ? channel.size() : 8);
        std::uint64_t prefix = 0;
        for (unsigned char byte : bytes) prefix = (prefix << 8) | byte;
        return prefix;
    }

    Entries entries_;
};

}  // namespace rockets::memory
