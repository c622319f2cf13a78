#include "MemoryRocketStore.h"

#include <algorithm>
#include <mutex>

namespace rockets::memory {

void MemoryRocketStore::open(const Poco::Util::AbstractConfiguration&) {}

std::optional<Rocket> MemoryRocketStore::get(const std::string& channel) {
    std::shared_lock lock(mutex_);
    auto it = rockets_.find(channel);
    if (it == rockets_.end()) return std::nullopt;
    return it->second;
}

RocketPage MemoryRocketStore::list(const RocketQuery& query) {
    RocketPage page;
    std::shared_lock lock(mutex_);
    std::vector<const Rocket*> matches;
    for (const auto& [channel, rocket] : rockets_) {
        if (matchesFilters(rocket, query)) matches.push_back(&rocket);
    }
    page.total = matches.size();
    if (query.offset >= matches.size()) return page;
    const std::size_t end = std::min(matches.size(), query.offset + query.limit);
    auto less = [&](const Rocket* a, const Rocket* b) { return rocketLess(*a, *b, query.sort, query.descending); };
    std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(end), matches.end(), less);
    page.rockets.reserve(end - query.offset);
    for (std::size_t i = query.offset; i < end; ++i) page.rockets.push_back(*matches[i]);
    return page;
}

bool MemoryRocketStore::compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) {
    std::unique_lock lock(mutex_);
    auto it = rockets_.find(rocket.channel);
    const std::int64_t current = it == rockets_.end() ? 0 : it->second.lastMessageNumber;
    if (current != expectedVersion) return false;
    if (it == rockets_.end()) rockets_.emplace(rocket.channel, rocket);
    else it->second = rocket;
    return true;
}

std::vector<std::pair<std::string, std::int64_t>> MemoryRocketStore::versions() {
    std::shared_lock lock(mutex_);
    std::vector<std::pair<std::string, std::int64_t>> result;
    result.reserve(rockets_.size());
    for (const auto& [channel, rocket] : rockets_) result.emplace_back(channel, rocket.lastMessageNumber);
    return result;
}

}  // namespace rockets::memory
