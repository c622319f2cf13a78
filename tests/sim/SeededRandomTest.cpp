#include "rockets/sim/SeededRandom.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <set>

using rockets::sim::SeededRandom;

namespace {

std::array<std::uint64_t, 8> firstValues(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    SeededRandom random(seed, stream, index);
    std::array<std::uint64_t, 8> values{};
    for (auto& value : values) value = random.next();
    return values;
}

}  // namespace

// The generated traffic of every benchmark and test is a function of these values:
// changing the algorithm changes every stream, which must be a deliberate act.
// (Checked against an independent implementation of SplitMix64 and xoshiro256**.)
TEST(SeededRandom, TheSequenceIsPinnedAcrossPlatformsAndReleases) {
    SeededRandom random(444, 1, 0);
    EXPECT_EQ(0x01D27E74F7B55D69ULL, random.next());
    EXPECT_EQ(0x4E6706794F4AFF62ULL, random.next());
    EXPECT_EQ(0x0095E0D0898F68D5ULL, random.next());
}

TEST(SeededRandom, SameInputsGiveTheSameSequence) {
    EXPECT_EQ(firstValues(7, 3, 11), firstValues(7, 3, 11));
}

TEST(SeededRandom, SeedStreamAndIndexEachStartAnUnrelatedSequence) {
    const auto base = firstValues(7, 3, 11);
    EXPECT_NE(base, firstValues(8, 3, 11));
    EXPECT_NE(base, firstValues(7, 4, 11));
    EXPECT_NE(base, firstValues(7, 3, 12));
    // Swapping stream and index must not give the same state either.
    EXPECT_NE(firstValues(7, 3, 11), firstValues(7, 11, 3));
    // Neighbouring indexes (one per rocket) share no value among their first draws.
    std::set<std::uint64_t> seen;
    for (std::uint64_t index = 0; index < 10000; ++index)
        for (std::uint64_t value : firstValues(444, 1, index)) EXPECT_TRUE(seen.insert(value).second) << index;
}

TEST(SeededRandom, BetweenStaysInBoundsAndReachesBothEnds) {
    SeededRandom random(1, 2);
    std::set<std::int64_t> seen;
    for (int i = 0; i < 10000; ++i) {
        const std::int64_t value = random.between(-3, 4);
        ASSERT_GE(value, -3);
        ASSERT_LE(value, 4);
        seen.insert(value);
    }
    EXPECT_EQ(8u, seen.size());
    EXPECT_EQ(5, random.between(5, 5));
    // The full 64-bit range is one span of 2^64 values: no division by zero, no hang.
    std::set<std::int64_t> full;
    for (int i = 0; i < 100; ++i)
        full.insert(random.between(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()));
    EXPECT_GT(full.size(), 90u);
}

TEST(SeededRandom, DrawsAreUniform) {
    SeededRandom random(444, 9);
    constexpr int kBuckets = 10;
    constexpr int kDraws = 100000;
    std::array<int, kBuckets> counts{};
    for (int i = 0; i < kDraws; ++i) ++counts[static_cast<std::size_t>(random.between(0, kBuckets - 1))];
    double chiSquare = 0;
    for (int count : counts) {
        const double expected = double{kDraws} / kBuckets;
        chiSquare += (count - expected) * (count - expected) / expected;
    }
    // 9 degrees of freedom: above 27.88 has probability 0.001 for a uniform source.
    // The sequence is fixed, so this cannot flake; a biased generator fails it.
    EXPECT_LT(chiSquare, 27.88);

    double sum = 0;
    for (int i = 0; i < kDraws; ++i) {
        const double value = random.unit();
        ASSERT_GE(value, 0.0);
        ASSERT_LT(value, 1.0);
        sum += value;
    }
    EXPECT_NEAR(0.5, sum / kDraws, 0.005);
}
