#pragma once

#include <array>
#include <cstdint>

namespace rockets::sim {

/// A deterministic random source: xoshiro256** (Blackman and Vigna), its state
/// filled by SplitMix64 from (seed, stream, index), with bounded draws computed here
/// rather than by std::uniform_*_distribution, whose algorithms are
/// implementation-defined. Both algorithms are a few lines of fixed arithmetic, so the
/// same (seed, stream, index) gives the same values on every platform.
///
/// It is small and cheap to seed on purpose: the generator keeps one per rocket, and
/// at 100,000 rockets std::mt19937_64 seeded through std::seed_seq (2.5 KB of state,
/// ~10 µs to seed) took 2.2 s of a 150,000-message scenario's set-up
/// (bench/PROFILE.md, fifteenth session).
class SeededRandom {
public:
    /// `stream` separates independent sequences drawn from one seed (one per rocket,
    /// one for interleaving, ...), so adding draws to one does not shift another.
    SeededRandom(std::uint64_t seed, std::uint64_t stream, std::uint64_t index = 0);

    /// A raw 64-bit value.
    std::uint64_t next();

    /// A value in [low, high] (inclusive); low <= high.
    std::int64_t between(std::int64_t low, std::int64_t high);

    /// A value in [0, 1).
    double unit();

    /// True with probability `p`.
    bool chance(double p) { return unit() < p; }

private:
    std::array<std::uint64_t, 4> state_{};
};

}  // namespace rockets::sim
