#pragma once

#include "rockets/Message.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rockets::sim {

/// What to generate; the defaults are the real test program's.
struct GeneratorSettings {
    std::uint64_t seed = 444;
    std::size_t rockets = 20;
    std::size_t maxMessages = 100000;
    /// Keep sending after a rocket exploded (the real program never does), to
    /// exercise the terminal state of the fold.
    bool explodeMidway = false;
};

/// Generates the telemetry stream of DESIGN §1: `rockets` channels with UUID v4 ids
/// from the seed, each starting at 1 with RocketLaunched and numbered without gaps,
/// speed never below 500 when applied in order (a decrease is only drawn when
/// speed - by >= 500), mission changes, and some rockets exploding (after which a
/// rocket sends nothing unless explodeMidway). Messages are interleaved across rockets.
///
/// Everything, messageTime included, is a function of the settings: the same seed
/// sends byte-identical messages, so a second run against a durable server is all
/// duplicates and the expected state (launchedAt/updatedAt too) does not change.
/// The stream for a smaller maxMessages is a prefix of the stream for a larger one.
class TrafficGenerator {
public:
    explicit TrafficGenerator(GeneratorSettings settings);

    /// The stream in sending order before any chaos (each channel in number order).
    /// Shorter than maxMessages only when every rocket exploded.
    std::vector<Message> generate() const;

    /// The channel id of rocket `index` for `seed` (lowercase UUID v4).
    static std::string channelId(std::uint64_t seed, std::size_t index);

private:
    GeneratorSettings settings_;
};

}  // namespace rockets::sim
