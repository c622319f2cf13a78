#include "rockets/sim/SeededRandom.h"

namespace rockets::sim {

namespace {

std::mt19937_64 seeded(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                           static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32),
                           static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32)};
    return std::mt19937_64(sequence);
}

}  // namespace

SeededRandom::SeededRandom(std::uint64_t seed, std::uint64_t stream, std::uint64_t index)
    : engine_(seeded(seed, stream, index)) {}

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
