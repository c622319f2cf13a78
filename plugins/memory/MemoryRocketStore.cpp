#include "MemoryRocketStore.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

namespace rockets::memory {

namespace {

// Ascending walks forwards. Descending walks the runs of equal value from the back and
// each run forwards, so ties stay channel-ascending as rocketLess requires; one
// lower_bound per run finds its start. This keeps one index per field: a second,
// descending index per field would double the index memory and the work of every
// compareAndSet to save one O(log n) lookup per distinct value on the page.
// `take` returns false once the page is full.
template <class Index, class Take>
void walk(const Index& index, bool descending, Take& take) {
    if (!descending) {
        for (auto it = index.begin(); it != index.end() && take(*it->rocket); ++it) {}
        return;
    }
    auto runEnd = index.end();
    while (runEnd != index.begin()) {
        auto runBegin = index.runStart(runEnd);
        for (auto it = runBegin; it != runEnd; ++it) {
            if (!take(*it->rocket)) return;
        }
        runEnd = runBegin;
    }
}

}  // namespace

std::size_t MemoryRocketStore::FilterKeyHash::operator()(const FilterKey& key) const {
    std::hash<std::string> hash;
    const std::size_t type = key.type ? hash(*key.type) : 0x9e3779b97f4a7c15ULL;
    const std::size_t mission = key.mission ? hash(*key.mission) : 0xc2b2ae3d27d4eb4fULL;
    return type ^ (mission + 0x9e3779b97f4a7c15ULL + (type << 6) + (type >> 2));
}

template <class F>
void MemoryRocketStore::forEachIndex(F&& f) {
    f(byType_);
    f(byMission_);
    f(bySpeed_);
    f(byStatus_);
    f(byLaunchedAt_);
    f(byUpdatedAt_);
    f(byLastMessageNumber_);
}

std::optional<Rocket> MemoryRocketStore::get(const std::string& channel) {
    std::shared_lock lock(mutex_);
    auto it = rockets_.find(channel);
    if (it == rockets_.end()) return std::nullopt;
    return it->second;
}

void MemoryRocketStore::count(const Rocket& rocket, bool add) {
    const auto status = static_cast<std::size_t>(rocket.status);
    // Every filter combination the rocket matches, so any query's total is one lookup.
    for (FilterKey key : {FilterKey{std::nullopt, std::nullopt}, FilterKey{rocket.type, std::nullopt},
                          FilterKey{std::nullopt, rocket.mission}, FilterKey{rocket.type, rocket.mission}}) {
        auto it = counts_.try_emplace(std::move(key)).first;
        StatusCounts& counts = it->second;
        if (add) {
            ++counts[0];
            ++counts[status];
        } else {
            --counts[0];
            --counts[status];
            // Drop empty combinations so the map stays bounded by the live ones.
            if (counts[0] == 0) counts_.erase(it);
        }
    }
}

std::size_t MemoryRocketStore::countMatches(const RocketQuery& query) const {
    if (query.status == RocketStatus::Unlaunched) return 0;  // never visible
    auto it = counts_.find(FilterKey{query.type, query.mission});
    if (it == counts_.end()) return 0;
    return it->second[query.status ? static_cast<std::size_t>(*query.status) : 0];
}

MemoryRocketStore::Run MemoryRocketStore::narrowestRun(const RocketQuery& query) const {
    Run narrowest;
    auto consider = [&](Run::Field field, const FilterKey& key, std::size_t slot) {
        auto it = counts_.find(key);
        const std::size_t size = it == counts_.end() ? 0 : it->second[slot];
        if (narrowest.field == Run::Field::None || size < narrowest.size) narrowest = Run{field, size};
    };
    if (query.type) consider(Run::Field::Type, FilterKey{query.type, std::nullopt}, 0);
    if (query.mission) consider(Run::Field::Mission, FilterKey{std::nullopt, query.mission}, 0);
    if (query.status) consider(Run::Field::Status, FilterKey{}, static_cast<std::size_t>(*query.status));
    return narrowest;
}

template <class Visit>
void MemoryRocketStore::forEachInRun(const Run& run, const RocketQuery& query, Visit&& visit) const {
    auto visitRun = [&](const auto& index, const auto& value) {
        auto [it, end] = index.run(value);
        for (; it != end && visit(*it->rocket); ++it) {}
    };
    switch (run.field) {
    case Run::Field::None: break;
    case Run::Field::Type: visitRun(byType_, *query.type); break;
    case Run::Field::Mission: visitRun(byMission_, *query.mission); break;
    case Run::Field::Status: visitRun(byStatus_, *query.status); break;
    }
}

void MemoryRocketStore::listFromRun(const Run& run, const RocketQuery& query, RocketPage& page) const {
    std::vector<const Rocket*> matches;
    matches.reserve(page.total);
    forEachInRun(run, query, [&](const Rocket& rocket) {
        if (matchesFilters(rocket, query)) matches.push_back(&rocket);
        return true;
    });
    const auto [from, to] = sortPage(matches, query);
    for (std::size_t i = from; i < to; ++i) page.rockets.push_back(*matches[i]);
}

RocketPage MemoryRocketStore::list(const RocketQuery& query) {
    RocketPage page;
    std::shared_lock lock(mutex_);
    page.total = countMatches(query);
    if (query.offset >= page.total || query.limit == 0) return page;
    const std::size_t wanted = std::min(page.total - query.offset, query.limit);
    page.rockets.reserve(wanted);

    // Two plans, as the durable backends choose (docs/decisions/2026-11-26-memory-list-
    // indexes.md): walk the sort's index, skipping what the filters reject, until the
    // page is full; that reads about (offset + limit) x visible / total entries, and
    // holds the shared lock (and so every compareAndSet) that long. Or read the
    // filter's own stretch of its index (run.size entries) and sort only the matches:
    // taken when it reads at most half as many, since sorting the matches costs about
    // as much again (measured at 100,000 rockets, limit=1000: a filter matching a tenth
    // is faster walked, one matching 2,600 faster read from its stretch). Either plan
    // gives the same page; the choice is only about time.
    const Run run = narrowestRun(query);
    const bool fromRun = run.field != Run::Field::None &&
                         2 * run.size * page.total <= (query.offset + query.limit) * byChannel_.size();

    std::size_t skipped = 0;
    auto take = [&](const Rocket& rocket) {
        if (!matchesFilters(rocket, query)) return true;
        if (skipped < query.offset) {
            ++skipped;
            return true;
        }
        page.rockets.push_back(rocket);
        return page.rockets.size() < wanted;
    };
    if (filterFixesSort(query)) {
        // One value of the sort field is left, so the order is channel-ascending both
        // ways: the order of every stretch. Read the narrowest one until the page is full.
        forEachInRun(run, query, take);
        return page;
    }
    if (fromRun) {
        listFromRun(run, query, page);
        return page;
    }

    // Stop as soon as the page is full or the last match has been taken, so a filtered
    // walk ends early when its matches come early.
    switch (query.sort) {
    case SortField::Channel:
        if (query.descending) {
            for (auto it = byChannel_.rbegin(); it != byChannel_.rend() && take(**it); ++it) {}
        } else {
            for (auto it = byChannel_.begin(); it != byChannel_.end() && take(**it); ++it) {}
        }
        break;
    case SortField::Type: walk(byType_, query.descending, take); break;
    case SortField::Mission: walk(byMission_, query.descending, take); break;
    case SortField::Speed: walk(bySpeed_, query.descending, take); break;
    case SortField::Status: walk(byStatus_, query.descending, take); break;
    case SortField::LaunchedAt: walk(byLaunchedAt_, query.descending, take); break;
    case SortField::UpdatedAt: walk(byUpdatedAt_, query.descending, take); break;
    case SortField::LastMessageNumber: walk(byLastMessageNumber_, query.descending, take); break;
    }
    return page;
}

bool MemoryRocketStore::compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) {
    std::unique_lock lock(mutex_);
    auto it = rockets_.find(rocket.channel);
    const std::int64_t current = it == rockets_.end() ? 0 : it->second.lastMessageNumber;
    if (current != expectedVersion) return false;

    if (it == rockets_.end()) {
        const Rocket& stored = rockets_.emplace(rocket.channel, rocket).first->second;
        if (stored.visible()) {
            byChannel_.insert(&stored);
            forEachIndex([&](auto& index) { index.insert(stored); });
            count(stored, true);
        }
        return true;
    }

    Rocket& stored = it->second;
    const bool wasVisible = stored.visible();
    const bool isVisible = rocket.visible();
    const bool visibilityChanges = wasVisible != isVisible;
    // An index finds the rocket by its value, so it drops the rocket before the value
    // changes and takes it back after. Only indexes whose value changes are touched: a
    // speed update moves the rocket in speed, updatedAt and lastMessageNumber only.
    std::array<bool, kFieldIndexCount> moves{};
    std::size_t i = 0;
    forEachIndex([&](auto& index) { moves[i++] = visibilityChanges || !index.sameValue(stored, rocket); });
    const bool recount = visibilityChanges || stored.status != rocket.status || stored.type != rocket.type ||
                         stored.mission != rocket.mission;
    if (wasVisible) {
        i = 0;
        forEachIndex([&](auto& index) {
            if (moves[i++]) index.erase(stored);
        });
        if (recount) count(stored, false);
        if (visibilityChanges) byChannel_.erase(&stored);
    }
    stored = rocket;
    if (isVisible) {
        i = 0;
        forEachIndex([&](auto& index) {
            if (moves[i++]) index.insert(stored);
        });
        if (recount) count(stored, true);
        if (visibilityChanges) byChannel_.insert(&stored);
    }
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
