#include "rockets/RocketStore.h"

#include <array>
#include <tuple>

namespace rockets {

namespace {

constexpr std::array<std::string_view, 8> kSortNames = {
    "channel", "type", "mission", "speed", "status", "launchedAt", "updatedAt", "lastMessageNumber"};

// Compares the sort key only: <0, 0, >0.
int compareField(const Rocket& a, const Rocket& b, SortField field) {
    auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
    switch (field) {
    case SortField::Channel: return 0;
    case SortField::Type: return a.type.compare(b.type);
    case SortField::Mission: return a.mission.compare(b.mission);
    case SortField::Speed: return cmp(a.speed, b.speed);
    case SortField::Status: return toString(a.status).compare(toString(b.status));
    case SortField::LaunchedAt: return a.launchedAt.compare(b.launchedAt);
    case SortField::UpdatedAt: return a.updatedAt.compare(b.updatedAt);
    case SortField::LastMessageNumber: return cmp(a.lastMessageNumber, b.lastMessageNumber);
    }
    return 0;
}

}  // namespace

bool rocketLess(const Rocket& a, const Rocket& b, SortField field, bool descending) {
    int c = compareField(a, b, field);
    if (c != 0) return descending ? c > 0 : c < 0;
    // Sorting by channel itself honours the order; ties of other fields are ascending.
    if (field == SortField::Channel && descending) return a.channel > b.channel;
    return a.channel < b.channel;
}

bool matchesFilters(const Rocket& rocket, const RocketQuery& query) {
    if (!rocket.visible()) return false;
    if (query.status && rocket.status != *query.status) return false;
    if (query.type && rocket.type != *query.type) return false;
    if (query.mission && rocket.mission != *query.mission) return false;
    return true;
}

bool filterFixesSort(const RocketQuery& query) {
    switch (query.sort) {
    case SortField::Status: return query.status.has_value();
    case SortField::Type: return query.type.has_value();
    case SortField::Mission: return query.mission.has_value();
    default: return false;
    }
}

std::string_view toString(SortField field) {
    return kSortNames[static_cast<std::size_t>(field)];
}

std::optional<SortField> sortFieldFromString(std::string_view name) {
    for (std::size_t i = 0; i < kSortNames.size(); ++i) {
        if (kSortNames[i] == name) return static_cast<SortField>(i);
    }
    return std::nullopt;
}

std::string_view toString(RocketStatus status) {
    switch (status) {
    case RocketStatus::Active: return "ACTIVE";
    case RocketStatus::Exploded: return "EXPLODED";
    case RocketStatus::Unlaunched: break;
    }
    return "UNLAUNCHED";
}

std::optional<RocketStatus> rocketStatusFromString(std::string_view name) {
    if (name == "ACTIVE") return RocketStatus::Active;
    if (name == "EXPLODED") return RocketStatus::Exploded;
    return std::nullopt;
}

}  // namespace rockets
