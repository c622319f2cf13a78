#pragma once

// Internal to core: the part of a JSON document the codec keeps.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace rockets::json {

/// The kind of a JSON value; Missing for a member that did not occur. Numbers keep
/// their lexical class: a literal without fraction or exponent is Integer.
enum class Kind : std::uint8_t { Missing, Null, Bool, Integer, Float, String, Array, Object };

/// What the codec keeps of one member: its kind, how often it occurred, and its
/// value when it is an integer or a string (containers are kept by kind only).
struct Field {
    Kind kind = Kind::Missing;
    int occurrences = 0;
    bool overflow = false;     ///< an integer literal beyond int64
    std::int64_t integer = 0;  ///< the int64 limit in the literal's direction when `overflow`
    std::string string;
};

/// The members of one JSON object that the codec reads, by name; the reader
/// skips every other member without storing it. Names must outlive the object
/// (string literals).
class Fields {
public:
    static constexpr std::size_t kCapacity = 9;  ///< the API rocket has nine members

    Fields(std::initializer_list<std::string_view> names);

    /// Slot of member `name`, or -1 when it is not read.
    int indexOf(std::string_view name) const;

    /// The field in `slot` (from indexOf).
    Field& at(int slot) { return slots_[static_cast<std::size_t>(slot)].field; }

    /// Member `name`, which must be one of the constructor's names (else a Missing field).
    const Field& operator[](std::string_view name) const;

    /// Makes member `name`, when its value is an object, be read into `child`.
    void nest(std::string_view name, Fields& child);

    /// The object read for the member in `slot`, or nullptr (its content is skipped).
    Fields* childAt(int slot) const { return slots_[static_cast<std::size_t>(slot)].child; }

    /// Forgets every value read here and in nested objects, to read another object.
    void clear();

private:
    struct Slot {
        std::string_view name;
        Field field;
        Fields* child = nullptr;
    };
    std::array<Slot, kCapacity> slots_{};
    std::size_t size_ = 0;
};

}  // namespace rockets::json
