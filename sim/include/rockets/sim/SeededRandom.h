#pragma once

#include <cstdint>
#include <random>

namespace rockets::sim {

/// A deterministic random source: std::mt19937_64 seeded through std::seed_seq
/// (both fully specified by the standard) with bounded draws computed here rather
/// than by std::uniform_*_distribution, whose algorithms are implementation-defined.
/// The same (seed, stream) therefore gives the same values on every platform.
class SeededRandom {
public:
    /// `stream` separates independent sequences drawn from one seed (one per rocket,
    /// one for interleaving, ...), so adding draws to one does not shift another.
    SeededRandom(std::uint64_t seed, std::uint64_t stream, std::uint64_t index = 0);

    /// A raw 64-bit value.
    std::uint64_t next() { return engine_(); }

    /// A value in [low, high] (inclusive); low <= high.
    std::int64_t between(std::int64_t low, std::int64_t high);

    /// A value in [0, 1).
    double unit();

    /// True with probability `p`.
    bool chance(double p) { return unit() < p; }

private:
    std::mt19937_64 engine_;
};

}  // namespace rockets::sim
