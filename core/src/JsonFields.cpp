#include "JsonFields.h"

#include <stdexcept>

namespace rockets::json {

Fields::Fields(std::initializer_list<std::string_view> names) {
    if (names.size() > kCapacity) throw std::logic_error("json::Fields: too many members");
    for (std::string_view name : names) slots_[size_++].name = name;
}

int Fields::indexOf(std::string_view name) const {
    for (std::size_t i = 0; i < size_; ++i) {
        if (slots_[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

const Field& Fields::operator[](std::string_view name) const {
    static const Field kMissing;
    const int slot = indexOf(name);
    return slot < 0 ? kMissing : slots_[static_cast<std::size_t>(slot)].field;
}

void Fields::nest(std::string_view name, Fields& child) {
    const int slot = indexOf(name);
    if (slot < 0) throw std::logic_error("json::Fields::nest: unknown member");
    slots_[static_cast<std::size_t>(slot)].child = &child;
}

void Fields::clear() {
    for (std::size_t i = 0; i < size_; ++i) {
        slots_[i].field = Field{};
        if (slots_[i].child != nullptr) slots_[i].child->clear();
    }
}

}  // namespace rockets::json
