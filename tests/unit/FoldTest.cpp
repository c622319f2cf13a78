#include "Messages.h"

#include "rockets/Fold.h"

#include <gtest/gtest.h>

#include <limits>

namespace rockets::test {

namespace {

Rocket unlaunched() {
    Rocket r;
    r.channel = "c";
    r.lastMessageNumber = 4;
    return r;
}

Rocket active() {
    Rocket r;
    apply(r, launched("c", 1, "Falcon-9", 500, "ARTEMIS", "2022-01-01T00:00:00Z"));
    return r;
}

Rocket explodedRocket() {
    Rocket r = active();
    apply(r, exploded("c", 2, "BOOM", "2022-01-01T00:00:02Z"));
    return r;
}

/// Expects `m` applied to `before` to change nothing but the version and updatedAt.
void expectIgnored(Rocket before, const Message& m) {
    Rocket after = before;
    EXPECT_EQ(apply(after, m), FoldOutcome::Ignored);
    before.lastMessageNumber = m.number;
    before.updatedAt = m.time;
    before.channel = m.channel;
    EXPECT_EQ(after, before);
}

}  // namespace

// Row RocketLaunched.
TEST(Fold, LaunchWhenNotLaunchedSetsEverything) {
    Rocket r = unlaunched();
    EXPECT_EQ(apply(r, launched("c", 5, "Saturn-V", 700, "APOLLO", "2022-02-02T19:39:05.86337+01:00")),
              FoldOutcome::Changed);
    EXPECT_EQ(r.type, "Saturn-V");
    EXPECT_EQ(r.speed, 700);
    EXPECT_EQ(r.mission, "APOLLO");
    EXPECT_EQ(r.status, RocketStatus::Active);
    EXPECT_EQ(r.launchedAt, "2022-02-02T19:39:05.86337+01:00");
    EXPECT_EQ(r.updatedAt, "2022-02-02T19:39:05.86337+01:00");
    EXPECT_EQ(r.lastMessageNumber, 5);
    EXPECT_FALSE(r.reason.has_value());
    EXPECT_TRUE(r.visible());
}
TEST(Fold, LaunchWhenActiveIsIgnored) { expectIgnored(active(), launched("c", 2, "X", 1, "Y")); }
TEST(Fold, LaunchWhenExplodedIsIgnored) { expectIgnored(explodedRocket(), launched("c", 3, "X", 1, "Y")); }

// Row RocketSpeedIncreased.
TEST(Fold, SpeedIncreaseBeforeLaunchIsIgnoredButAdvancesVersion) { expectIgnored(unlaunched(), speedUp("c", 5, 10)); }
TEST(Fold, SpeedIncreaseWhenActiveAdds) {
    Rocket r = active();
    EXPECT_EQ(apply(r, speedUp("c", 2, 250)), FoldOutcome::Changed);
    EXPECT_EQ(r.speed, 750);
}
TEST(Fold, SpeedIncreaseWhenExplodedIsIgnored) { expectIgnored(explodedRocket(), speedUp("c", 3, 10)); }

// Row RocketSpeedDecreased.
TEST(Fold, SpeedDecreaseBeforeLaunchIsIgnored) { expectIgnored(unlaunched(), slowDown("c", 5, 10)); }
TEST(Fold, SpeedDecreaseWhenActiveSubtractsWithoutClamping) {
    Rocket r = active();
    EXPECT_EQ(apply(r, slowDown("c", 2, 800)), FoldOutcome::Changed);
    EXPECT_EQ(r.speed, -300);
}
TEST(Fold, SpeedDecreaseWhenExplodedIsIgnored) { expectIgnored(explodedRocket(), slowDown("c", 3, 10)); }

// Row RocketMissionChanged.
TEST(Fold, MissionChangeBeforeLaunchIsIgnored) { expectIgnored(unlaunched(), missionChanged("c", 5, "MARS")); }
TEST(Fold, MissionChangeWhenActiveSetsMission) {
    Rocket r = active();
    EXPECT_EQ(apply(r, missionChanged("c", 2, "MARS")), FoldOutcome::Changed);
    EXPECT_EQ(r.mission, "MARS");
}
TEST(Fold, MissionChangeWhenExplodedIsIgnored) { expectIgnored(explodedRocket(), missionChanged("c", 3, "MARS")); }

// Row RocketExploded.
TEST(Fold, ExplosionBeforeLaunchIsIgnored) { expectIgnored(unlaunched(), exploded("c", 5, "EARLY")); }
TEST(Fold, ExplosionWhenActiveIsTerminalWithReason) {
    Rocket r = active();
    EXPECT_EQ(apply(r, exploded("c", 2, "PRESSURE_VESSEL_FAILURE", "2022-01-01T00:00:09Z")), FoldOutcome::Changed);
    EXPECT_EQ(r.status, RocketStatus::Exploded);
    EXPECT_EQ(r.reason, "PRESSURE_VESSEL_FAILURE");
    EXPECT_EQ(r.updatedAt, "2022-01-01T00:00:09Z");
    EXPECT_EQ(r.speed, 500) << "an explosion keeps the last speed";
}
TEST(Fold, ExplosionWhenExplodedIsIgnoredAndKeepsFirstReason) {
    expectIgnored(explodedRocket(), exploded("c", 3, "AGAIN"));
}

TEST(Fold, EveryMessageAdvancesVersionAndUpdatedAt) {
    Rocket r;
    apply(r, speedUp("c", 1, 5, "2022-01-01T00:00:01Z"));
    EXPECT_EQ(r.lastMessageNumber, 1);
    EXPECT_EQ(r.updatedAt, "2022-01-01T00:00:01Z");
    EXPECT_FALSE(r.visible());
    apply(r, launched("c", 2, "T", 1, "M", "2022-01-01T00:00:02Z"));
    EXPECT_EQ(r.lastMessageNumber, 2);
    EXPECT_TRUE(r.visible());
    EXPECT_EQ(r.launchedAt, "2022-01-01T00:00:02Z");
}

TEST(Fold, OverflowingIncreaseIsIgnoredAndReported) {
    Rocket r = active();
    r.speed = std::numeric_limits<std::int64_t>::max() - 5;
    EXPECT_EQ(apply(r, speedUp("c", 2, 6)), FoldOutcome::Overflow);
    EXPECT_EQ(r.speed, std::numeric_limits<std::int64_t>::max() - 5);
    EXPECT_EQ(r.lastMessageNumber, 2);
    EXPECT_EQ(apply(r, speedUp("c", 3, 5)), FoldOutcome::Changed);
    EXPECT_EQ(r.speed, std::numeric_limits<std::int64_t>::max());
}

TEST(Fold, OverflowingDecreaseIsIgnoredAndReported) {
    Rocket r = active();
    r.speed = std::numeric_limits<std::int64_t>::min() + 5;
    EXPECT_EQ(apply(r, slowDown("c", 2, 6)), FoldOutcome::Overflow);
    EXPECT_EQ(r.speed, std::numeric_limits<std::int64_t>::min() + 5);
    EXPECT_EQ(r.lastMessageNumber, 2);
}

}  // namespace rockets::test
