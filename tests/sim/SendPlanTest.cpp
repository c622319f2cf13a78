#include "rockets/sim/SendPlan.h"
#include "rockets/sim/TrafficGenerator.h"

#include <gtest/gtest.h>

#include <map>

using rockets::Message;
using rockets::sim::ChaosSettings;
using rockets::sim::GeneratorSettings;
using rockets::sim::SendPlan;
using rockets::sim::TrafficGenerator;

namespace {

std::vector<Message> stream(std::size_t count) {
    return TrafficGenerator(GeneratorSettings{444, 20, count, false}).generate();
}

using Key = std::pair<std::string, std::int64_t>;

std::map<Key, std::vector<std::size_t>> positions(const std::vector<Message>& sends) {
    std::map<Key, std::vector<std::size_t>> result;
    for (std::size_t i = 0; i < sends.size(); ++i) result[{sends[i].channel, sends[i].number}].push_back(i);
    return result;
}

}  // namespace

TEST(SendPlan, WithoutChaosSendsTheStreamAsIs) {
    const auto original = stream(2000);
    const auto plan = SendPlan::build(original, ChaosSettings{444, 0, 0});
    EXPECT_EQ(plan.sends, original);
    EXPECT_EQ(plan.duplicates, 0u);
}

TEST(SendPlan, DuplicateRateSendsIdenticalCopiesLater) {
    const auto original = stream(10000);
    const auto plan = SendPlan::build(original, ChaosSettings{444, 0.1, 0});
    EXPECT_GT(plan.duplicates, 800u);
    EXPECT_LT(plan.duplicates, 1200u);
    ASSERT_EQ(plan.sends.size(), original.size() + plan.duplicates);

    std::size_t copies = 0;
    for (const auto& [key, at] : positions(plan.sends)) {
        ASSERT_LE(at.size(), 2u);
        if (at.size() < 2) continue;
        ++copies;
        EXPECT_EQ(plan.sends[at[0]], plan.sends[at[1]]);  // messageTime included
        EXPECT_LE(at[1] - at[0], static_cast<std::size_t>(SendPlan::kDuplicateDistance) + plan.duplicates);
    }
    EXPECT_EQ(copies, plan.duplicates);
    // Every original message is still sent, first copies in the original order.
    std::vector<Message> firsts;
    std::map<Key, bool> seen;
    for (const Message& m : plan.sends)
        if (!seen[{m.channel, m.number}]) {
            seen[{m.channel, m.number}] = true;
            firsts.push_back(m);
        }
    EXPECT_EQ(firsts, original);
}

TEST(SendPlan, ReorderWindowShufflesOnlyWithinTheWindow) {
    const auto original = stream(5000);
    const auto plan = SendPlan::build(original, ChaosSettings{444, 0, 50});
    ASSERT_EQ(plan.sends.size(), original.size());
    const auto before = positions(original);
    std::size_t moved = 0;
    for (const auto& [key, at] : positions(plan.sends)) {
        const std::size_t from = before.at(key).front();
        const std::size_t to = at.front();
        EXPECT_LT(from > to ? from - to : to - from, 50u);
        moved += from != to;
    }
    EXPECT_GT(moved, 2500u);
}

TEST(SendPlan, IsDeterministicPerSeed) {
    const ChaosSettings chaos{7, 0.05, 20};
    EXPECT_EQ(SendPlan::build(stream(3000), chaos).sends, SendPlan::build(stream(3000), chaos).sends);
    EXPECT_NE(SendPlan::build(stream(3000), chaos).sends, SendPlan::build(stream(3000), ChaosSettings{8, 0.05, 20}).sends);
}
