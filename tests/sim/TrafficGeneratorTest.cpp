#include "rockets/Codec.h"
#include "rockets/Fold.h"
#include "rockets/sim/TrafficGenerator.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

using rockets::Message;
using rockets::MessageType;
using rockets::sim::GeneratorSettings;
using rockets::sim::TrafficGenerator;

namespace {

std::vector<Message> generate(std::uint64_t seed, std::size_t count, bool explodeMidway = false,
                              std::size_t rockets = 20) {
    return TrafficGenerator(GeneratorSettings{seed, rockets, count, explodeMidway}).generate();
}

std::map<std::string, std::vector<Message>> byChannel(const std::vector<Message>& stream) {
    std::map<std::string, std::vector<Message>> channels;
    for (const Message& m : stream) channels[m.channel].push_back(m);
    return channels;
}

}  // namespace

TEST(TrafficGenerator, SameSeedGivesIdenticalMessagesTimeIncluded) {
    EXPECT_EQ(generate(444, 5000), generate(444, 5000));
}

TEST(TrafficGenerator, DifferentSeedsGiveDifferentChannels) {
    std::set<std::string> a, b;
    for (const auto& m : generate(444, 2000)) a.insert(m.channel);
    for (const auto& m : generate(445, 2000)) b.insert(m.channel);
    for (const auto& channel : a) EXPECT_FALSE(b.contains(channel)) << channel;
}

TEST(TrafficGenerator, SmallerRunIsAPrefixOfALargerOne) {
    const auto small = generate(9, 3000);
    const auto large = generate(9, 12000);
    ASSERT_EQ(small.size(), 3000u);
    EXPECT_TRUE(std::equal(small.begin(), small.end(), large.begin()));
}

TEST(TrafficGenerator, ChannelsAreLowercaseUuidV4AndThereIsOnePerRocket) {
    const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    const auto channels = byChannel(generate(444, 20000));
    EXPECT_EQ(channels.size(), 20u);
    for (const auto& [channel, messages] : channels) EXPECT_TRUE(std::regex_match(channel, uuid)) << channel;
    EXPECT_EQ(byChannel(generate(1, 20000, false, 7)).size(), 7u);
}

TEST(TrafficGenerator, EveryChannelStartsWithLaunchAtOneWithoutGaps) {
    for (const auto& [channel, messages] : byChannel(generate(444, 20000))) {
        ASSERT_FALSE(messages.empty());
        EXPECT_EQ(messages.front().type(), MessageType::Launched) << channel;
        for (std::size_t i = 0; i < messages.size(); ++i)
            ASSERT_EQ(messages[i].number, static_cast<std::int64_t>(i + 1)) << channel;
        for (std::size_t i = 1; i < messages.size(); ++i)
            EXPECT_NE(messages[i].type(), MessageType::Launched) << channel << " #" << messages[i].number;
    }
}

TEST(TrafficGenerator, SpeedNeverBelow500WhenAppliedInOrder) {
    for (std::uint64_t seed : {444u, 1u, 2u, 3u}) {
        for (const auto& [channel, messages] : byChannel(generate(seed, 20000))) {
            rockets::Rocket rocket;
            for (const Message& m : messages) {
                ASSERT_EQ(rockets::apply(rocket, m), rockets::FoldOutcome::Changed) << channel << " #" << m.number;
                EXPECT_GE(rocket.speed, 500) << channel << " #" << m.number;
            }
        }
    }
}

TEST(TrafficGenerator, SomeRocketsExplodeAndSendNothingAfter) {
    std::size_t exploded = 0;
    for (const auto& [channel, messages] : byChannel(generate(444, 20000))) {
        for (std::size_t i = 0; i < messages.size(); ++i) {
            if (messages[i].type() != MessageType::Exploded) continue;
            ++exploded;
            EXPECT_EQ(i + 1, messages.size()) << channel << " sends after exploding";
        }
    }
    EXPECT_GE(exploded, 1u);
    EXPECT_LT(exploded, 20u);
}

TEST(TrafficGenerator, ExplodeMidwayKeepsSendingAfterTheExplosion) {
    std::size_t afterExplosion = 0;
    for (const auto& [channel, messages] : byChannel(generate(444, 20000, true))) {
        bool exploded = false;
        for (const Message& m : messages) {
            if (exploded) ++afterExplosion;
            exploded = exploded || m.type() == MessageType::Exploded;
        }
    }
    EXPECT_GT(afterExplosion, 100u);
}

TEST(TrafficGenerator, MessagesAreInterleavedAcrossRockets) {
    const auto stream = generate(444, 1000);
    std::size_t switches = 0;
    for (std::size_t i = 1; i < stream.size(); ++i) switches += stream[i].channel != stream[i - 1].channel;
    EXPECT_GT(switches, 500u);
}

TEST(TrafficGenerator, MessagesAreValidOnTheWireWithRfc3339NanoTimes) {
    const std::regex nano(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d)");
    std::size_t withNanosAndOffset = 0;
    for (const Message& m : generate(444, 5000, true)) {
        const auto parsed = rockets::parseMessage(rockets::encodeMessage(m));
        ASSERT_TRUE(std::holds_alternative<Message>(parsed)) << std::get<rockets::CodecError>(parsed).message;
        EXPECT_EQ(std::get<Message>(parsed), m);
        EXPECT_TRUE(rockets::isRfc3339DateTime(m.time)) << m.time;
        withNanosAndOffset += std::regex_match(m.time, nano);
    }
    EXPECT_GT(withNanosAndOffset, 1000u);
}
