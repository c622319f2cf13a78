#include "rockets/sim/SendPlan.h"

#include "rockets/sim/SeededRandom.h"

#include <algorithm>
#include <utility>

namespace rockets::sim {

namespace {

constexpr std::uint64_t kDuplicateStream = 0xD0B1E;
constexpr std::uint64_t kReorderStream = 0x5E0DE2;

}  // namespace

SendPlan SendPlan::build(std::vector<Message> stream, const ChaosSettings& chaos) {
    SendPlan plan;
    if (chaos.duplicateRate > 0) {
        // (position, original index): a copy sorts after everything at its position.
        std::vector<std::pair<std::int64_t, std::size_t>> copies;
        SeededRandom random(chaos.seed, kDuplicateStream);
        for (std::size_t i = 0; i < stream.size(); ++i) {
            if (random.chance(chaos.duplicateRate))
                copies.emplace_back(static_cast<std::int64_t>(i) + random.between(1, kDuplicateDistance), i);
        }
        std::stable_sort(copies.begin(), copies.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        plan.sends.reserve(stream.size() + copies.size());
        auto copy = copies.begin();
        for (std::size_t i = 0; i < stream.size(); ++i) {
            plan.sends.push_back(stream[i]);
            for (; copy != copies.end() && copy->first <= static_cast<std::int64_t>(i); ++copy)
                plan.sends.push_back(stream[copy->second]);
        }
        for (; copy != copies.end(); ++copy) plan.sends.push_back(stream[copy->second]);
        plan.duplicates = copies.size();
    } else {
        plan.sends = std::move(stream);
    }

    if (chaos.reorderWindow > 1) {
        SeededRandom random(chaos.seed, kReorderStream);
        for (std::size_t start = 0; start < plan.sends.size(); start += chaos.reorderWindow) {
            const std::size_t end = std::min(plan.sends.size(), start + chaos.reorderWindow);
            // Fisher-Yates on [start, end) with our own portable draws.
            for (std::size_t i = end - 1; i > start; --i) {
                const auto j = static_cast<std::size_t>(random.between(static_cast<std::int64_t>(start),
                                                                       static_cast<std::int64_t>(i)));
                std::swap(plan.sends[i], plan.sends[j]);
            }
        }
    }
    return plan;
}

}  // namespace rockets::sim
