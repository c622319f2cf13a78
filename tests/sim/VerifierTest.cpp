#include "FakeRocketsServer.h"

#include "rockets/sim/Verifier.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using rockets::Rocket;
using rockets::RocketStatus;
using rockets::sim::FieldDiff;
using rockets::sim::Verifier;
using rockets::sim::VerifierSettings;
using rockets::sim::VerifyResult;
using rockets::sim::test::FakeRocketsServer;

namespace {

Rocket rocket(const std::string& channel, std::int64_t speed = 600) {
    Rocket r;
    r.channel = channel;
    r.type = "Falcon-9";
    r.speed = speed;
    r.mission = "ARTEMIS";
    r.status = RocketStatus::Active;
    r.launchedAt = "2025-04-02T09:21:50.458989221+02:00";
    r.updatedAt = "2025-04-02T09:22:00.1+02:00";
    r.lastMessageNumber = 7;
    return r;
}

std::map<std::string, Rocket> expect(std::initializer_list<Rocket> rockets) {
    std::map<std::string, Rocket> result;
    for (const Rocket& r : rockets) result.emplace(r.channel, r);
    return result;
}

VerifierSettings quick() {
    VerifierSettings settings;
    settings.timeout = 200ms;
    settings.pollInterval = 20ms;
    return settings;
}

}  // namespace

TEST(Verifier, PassesWhenTheServerHoldsExactlyTheExpectedRockets) {
    FakeRocketsServer fake;
    fake.putRocket(rocket("a"));
    fake.putRocket(rocket("b", 900));
    const VerifyResult result = Verifier(fake.target(), quick()).verify(expect({rocket("a"), rocket("b", 900)}));
    EXPECT_TRUE(result.passed());
    EXPECT_EQ(result.matchedRockets, 2u);
    EXPECT_EQ(result.listedRockets, 2u);
    EXPECT_EQ(result.totalCount, 2u);
    EXPECT_TRUE(result.consistentAt.has_value());
}

TEST(Verifier, ReportsEachDifferingFieldOfAWrongRocket) {
    FakeRocketsServer fake;
    Rocket wrong = rocket("a", 700);
    wrong.status = RocketStatus::Exploded;
    wrong.reason = "ENGINE_FAILURE";
    wrong.lastMessageNumber = 8;
    fake.putRocket(wrong);

    const VerifyResult result = Verifier(fake.target(), quick()).verify(expect({rocket("a")}));
    ASSERT_FALSE(result.passed());
    EXPECT_FALSE(result.consistentAt.has_value());
    EXPECT_EQ(result.matchedRockets, 0u);
    ASSERT_FALSE(result.mismatches.empty());
    const auto& mismatch = result.mismatches.front();
    EXPECT_EQ(mismatch.channel, "a");
    EXPECT_NE(mismatch.problem.find("GET /rockets/a: differs"), std::string::npos) << mismatch.problem;
    const std::vector<FieldDiff> want = {{"speed", "600", "700"},
                                         {"status", "\"ACTIVE\"", "\"EXPLODED\""},
                                         {"reason", "null", "\"ENGINE_FAILURE\""},
                                         {"lastMessageNumber", "7", "8"}};
    ASSERT_EQ(mismatch.diffs.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(mismatch.diffs[i].field, want[i].field);
        EXPECT_EQ(mismatch.diffs[i].expected, want[i].expected);
        EXPECT_EQ(mismatch.diffs[i].actual, want[i].actual);
    }
}

TEST(Verifier, ReportsARocketTheServerDoesNotKnow) {
    FakeRocketsServer fake;
    fake.putRocket(rocket("a"));
    const VerifyResult result = Verifier(fake.target(), quick()).verify(expect({rocket("a"), rocket("b")}));
    ASSERT_FALSE(result.passed());
    std::vector<std::string> problems;
    for (const auto& m : result.mismatches) problems.push_back(m.channel + " " + m.problem);
    EXPECT_EQ(problems, (std::vector<std::string>{"b GET /rockets/b: not found (404)", "b GET /rockets: missing"}));
}

TEST(Verifier, RejectsForeignRocketsInTheListingUnlessAllowed) {
    FakeRocketsServer fake;
    fake.putRocket(rocket("a"));
    fake.putRocket(rocket("other"));
    const VerifyResult strict = Verifier(fake.target(), quick()).verify(expect({rocket("a")}));
    ASSERT_EQ(strict.mismatches.size(), 1u);
    EXPECT_EQ(strict.mismatches[0].channel, "other");
    EXPECT_EQ(strict.mismatches[0].problem, "GET /rockets: not sent by this run");

    VerifierSettings lenient = quick();
    lenient.allowOtherRockets = true;
    EXPECT_TRUE(Verifier(fake.target(), lenient).verify(expect({rocket("a")})).passed());
}

TEST(Verifier, PagesThroughTheListing) {
    FakeRocketsServer fake;
    std::map<std::string, Rocket> expected;
    for (const char* channel : {"a", "b", "c", "d", "e"}) {
        fake.putRocket(rocket(channel));
        expected.emplace(channel, rocket(channel));
    }
    VerifierSettings settings = quick();
    settings.pageSize = 2;
    const VerifyResult result = Verifier(fake.target(), settings).verify(expected);
    EXPECT_TRUE(result.passed());
    EXPECT_EQ(result.listedRockets, 5u);
    std::size_t listCalls = 0;
    for (const auto& path : fake.getPaths()) listCalls += path.rfind("/rockets?", 0) == 0;
    EXPECT_EQ(listCalls, 3u);
}

TEST(Verifier, ReportsAWrongTotalCount) {
    FakeRocketsServer fake;
    fake.putRocket(rocket("a"));
    fake.overrideTotalCount(3);
    const VerifyResult result = Verifier(fake.target(), quick()).verify(expect({rocket("a")}));
    EXPECT_FALSE(result.passed());
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0], "GET /rockets: X-Total-Count is 3 but 1 rockets were listed");
}

TEST(Verifier, PercentEncodesTheChannelInThePath) {
    FakeRocketsServer fake;
    fake.putRocket(rocket("a/b c%"));
    const VerifyResult result = Verifier(fake.target(), quick()).verify(expect({rocket("a/b c%")}));
    EXPECT_TRUE(result.passed());
    const auto paths = fake.getPaths();
    EXPECT_NE(std::find(paths.begin(), paths.end(), "/rockets/a%2Fb%20c%25"), paths.end());
}
