#pragma once

#include "FieldIndex.h"

#include "rockets/RocketStore.h"

#include <array>
#include <cstddef>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace rockets::memory {

/// RocketStore in process memory. Every sort field has an ordered index of the visible
/// rockets, so list() walks straight to its page instead of sorting, and counters per
/// filter combination give its total. A filter that matches few rockets is read from
/// its own stretch of the type, mission or status index instead, and only those
/// matches are sorted (listFromRun). Reads share one lock; compareAndSet takes it
/// exclusively and moves the rocket only in the indexes whose value it changes.
class MemoryRocketStore final : public RocketStore {
public:
    std::optional<Rocket> get(const std::string& channel) override;
    RocketPage list(const RocketQuery& query) override;
    bool compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) override;
    std::vector<std::pair<std::string, std::int64_t>> versions() override;

private:
    /// Channel order, for sort=channel.
    struct ChannelLess {
        bool operator()(const Rocket* a, const Rocket* b) const { return a->channel < b->channel; }
    };

    /// The type and mission parts of a filter; nullopt means "any".
    struct FilterKey {
        std::optional<std::string> type;
        std::optional<std::string> mission;
        bool operator==(const FilterKey&) const = default;
    };
    struct FilterKeyHash {
        std::size_t operator()(const FilterKey& key) const;
    };
    /// Visible rockets with one FilterKey, indexed by RocketStatus: [0] (Unlaunched,
    /// never counted) holds "any status", [1] ACTIVE, [2] EXPLODED.
    using StatusCounts = std::array<std::size_t, 3>;

    /// The stretch of the type, mission or status index that holds every match of a
    /// query's filters: of the filtered fields, the one with the fewest rockets.
    struct Run {
        enum class Field { None, Type, Mission, Status } field = Field::None;
        std::size_t size = 0;  ///< visible rockets in the stretch
    };

    /// Calls `f` on each FieldIndex member.
    template <class F>
    void forEachIndex(F&& f);
    /// Adds (or removes) `rocket` to the counts of every filter it matches.
    void count(const Rocket& rocket, bool add);
    /// Number of visible rockets matching `query`'s filters, from counts_.
    std::size_t countMatches(const RocketQuery& query) const;
    /// The narrowest Run of `query`'s filters; Field::None without a filter.
    Run narrowestRun(const RocketQuery& query) const;
    /// Calls `visit` on each rocket of `run` in index order until it returns false.
    template <class Visit>
    void forEachInRun(const Run& run, const RocketQuery& query, Visit&& visit) const;
    /// list() from `run`: its matches, sorted, then the page; `page.total` is set.
    void listFromRun(const Run& run, const RocketQuery& query, RocketPage& page) const;

    std::shared_mutex mutex_;
    /// Every stored rocket. Node-based, so the indexes' pointers survive rehashing.
    std::unordered_map<std::string, Rocket> rockets_;
    /// The visible rockets of rockets_, by sort field; changed only by compareAndSet.
    std::set<const Rocket*, ChannelLess> byChannel_;
    FieldIndex<&Rocket::type> byType_;
    FieldIndex<&Rocket::mission> byMission_;
    FieldIndex<&Rocket::speed> bySpeed_;
    FieldIndex<&Rocket::status> byStatus_;
    FieldIndex<&Rocket::launchedAt> byLaunchedAt_;
    FieldIndex<&Rocket::updatedAt> byUpdatedAt_;
    FieldIndex<&Rocket::lastMessageNumber> byLastMessageNumber_;
    static constexpr std::size_t kFieldIndexCount = 7;
    std::unordered_map<FilterKey, StatusCounts, FilterKeyHash> counts_;
};

}  // namespace rockets::memory
