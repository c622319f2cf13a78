#include "rockets/sim/SeededRandom.h"

#include <bit>

namespace rockets::sim {

namespace {

/// One step of SplitMix64: advances `x` and returns the next output.
std::uint64_t splitMix(std::uint64_t& x) {
    x += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace

SeededRandom::SeededRandom(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    // Each input passes through a full SplitMix64 mix before the next is folded in, so
    // neighbouring (stream, index) pairs start from unrelated states.
    std::uint64_t x = seed;
    x = splitMix(x) ^ stream;
    x = splitMix(x) ^ index;
    for (std::uint64_t& word : state_) word = splitMix(x);
    // SplitMix64 is a bijection of a counter, so the four words are never all zero.
}

std::uint64_t SeededRandom::next() {
    const std::uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
}

std::int64_t SeededRandom::between(std::int64_t low, std::int64_t high) {
    const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low) + 1;
    if (span == 0) return static_cast<std::int64_t>(next());  // the full 64-bit range
    // Rejection sampling keeps the draw unbiased.
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    std::uint64_t value = next();
    while (value >= limit) value = next();
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + value % span);
}

double SeededRandom::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

}  // namespace rockets::sim
