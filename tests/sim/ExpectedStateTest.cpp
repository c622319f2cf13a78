#include "rockets/Fold.h"
#include "rockets/sim/ExpectedState.h"
#include "rockets/sim/TrafficGenerator.h"

#include <gtest/gtest.h>

#include <algorithm>

using rockets::Message;
using rockets::RocketLaunched;
using rockets::RocketSpeedIncreased;
using rockets::sim::ExpectedState;

namespace {

Message launch(const std::string& channel, std::int64_t number = 1) {
    return Message{channel, number, "2025-04-02T09:21:50.458989221+02:00", RocketLaunched{"Falcon-9", 500, "ARTEMIS"}};
}

Message faster(const std::string& channel, std::int64_t number, std::int64_t by) {
    return Message{channel, number, "2025-04-02T09:21:5" + std::to_string(number) + "Z", RocketSpeedIncreased{by}};
}

}  // namespace

TEST(ExpectedState, IsTheInOrderFoldWhateverTheSendOrder) {
    const auto stream = rockets::sim::TrafficGenerator({444, 20, 5000, false}).generate();
    auto reversed = stream;
    std::reverse(reversed.begin(), reversed.end());
    const auto state = ExpectedState::fromSends(reversed);

    std::map<std::string, rockets::Rocket> inOrder;
    for (const Message& m : stream) rockets::apply(inOrder[m.channel], m);
    EXPECT_EQ(state.rockets(), inOrder);
    EXPECT_EQ(state.distinctMessages(), stream.size());
    EXPECT_EQ(state.conflicts(), 0u);
}

TEST(ExpectedState, StopsAtTheFirstGap) {
    const auto state = ExpectedState::fromSends({launch("a"), faster("a", 2, 10), faster("a", 4, 100)});
    ASSERT_EQ(state.rockets().size(), 1u);
    EXPECT_EQ(state.rockets().at("a").lastMessageNumber, 2);
    EXPECT_EQ(state.rockets().at("a").speed, 510);
}

TEST(ExpectedState, UnlaunchedChannelsAreNotExpected) {
    const auto state = ExpectedState::fromSends({faster("a", 2, 10), launch("b")});
    EXPECT_FALSE(state.rockets().contains("a"));
    EXPECT_TRUE(state.rockets().contains("b"));
}

TEST(ExpectedState, FirstSendOfAKeyWinsAndChangedPayloadsCountAsConflicts) {
    auto retimed = faster("a", 2, 10);
    retimed.time = "2030-01-01T00:00:00Z";
    const auto state = ExpectedState::fromSends({launch("a"), faster("a", 2, 10), retimed, faster("a", 2, 99)});
    EXPECT_EQ(state.distinctMessages(), 2u);
    EXPECT_EQ(state.conflicts(), 1u);
    EXPECT_EQ(state.rockets().at("a").speed, 510);
    EXPECT_EQ(state.rockets().at("a").updatedAt, faster("a", 2, 10).time);
}
