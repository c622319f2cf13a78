#include "rockets/sim/TrafficGenerator.h"

#include "rockets/sim/SeededRandom.h"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace rockets::sim {

namespace {

// Independent random streams drawn from one seed.
constexpr std::uint64_t kChannelStream = 0xC4A77E1;
constexpr std::uint64_t kRocketStream = 0x20C4E7;
constexpr std::uint64_t kInterleaveStream = 0x1D7E41EA;

constexpr std::int64_t kMinSpeed = 500;
/// Share of rockets that explode at some point of their (unbounded) life.
constexpr double kExplodingShare = 0.35;
/// Explosions are placed log-uniformly in [2, kLatestExplosion], so short and long
/// runs both see some.
constexpr double kLatestExplosion = 10000;

constexpr std::array<std::string_view, 10> kTypes = {
    "Falcon-9", "Falcon Heavy", "Starship", "Atlas V", "Delta IV Heavy",
    "Ariane 5", "Soyuz-2",      "Electron", "Vulcan",  "New Glenn"};
constexpr std::array<std::string_view, 10> kMissions = {
    "ARTEMIS", "APOLLO", "GEMINI", "MERCURY", "SKYLAB", "VOYAGER", "CASSINI", "JUNO", "DAWN", "HORIZONS"};
constexpr std::array<std::string_view, 5> kReasons = {
    "PRESSURE_VESSEL_FAILURE", "ENGINE_FAILURE", "GUIDANCE_LOST", "RANGE_SAFETY_DESTRUCT", "STRUCTURAL_FAILURE"};
/// UTC offsets in minutes; 0 is written "Z" like Go's RFC3339Nano.
constexpr std::array<int, 6> kOffsets = {120, 0, 60, -300, 330, -420};

/// 2025-04-02T07:21:50Z, the start of every generated clock (plus a per-rocket shift).
constexpr std::int64_t kEpochSeconds = 1743578510;

template <std::size_t N>
std::string pick(SeededRandom& random, const std::array<std::string_view, N>& values) {
    return std::string(values[static_cast<std::size_t>(random.between(0, N - 1))]);
}

/// Go's time.RFC3339Nano: nanoseconds with trailing zeros trimmed, "Z" or ±hh:mm.
std::string formatTime(std::int64_t unixNanos, int offsetMinutes) {
    using namespace std::chrono;
    const std::int64_t localNanos = unixNanos + std::int64_t{offsetMinutes} * 60'000'000'000;
    const sys_time<nanoseconds> local{nanoseconds{localNanos}};
    const auto day = floor<days>(local);
    const year_month_day date{day};
    const hh_mm_ss<nanoseconds> time{local - day};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    std::string out = buffer;
    const std::int64_t fraction = time.subseconds().count();
    if (fraction != 0) {
        std::snprintf(buffer, sizeof buffer, ".%09lld", static_cast<long long>(fraction));
        std::string digits = buffer;
        while (digits.back() == '0') digits.pop_back();
        out += digits;
    }
    if (offsetMinutes == 0) return out + "Z";
    const int magnitude = std::abs(offsetMinutes);
    std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", offsetMinutes < 0 ? '-' : '+', magnitude / 60,
                  magnitude % 60);
    return out + buffer;
}

/// One rocket's life, drawn message by message from its own random stream.
class RocketScript {
public:
    RocketScript(std::uint64_t seed, std::size_t index)
        : random_(seed, kRocketStream, index), channel_(TrafficGenerator::channelId(seed, index)) {
        if (random_.chance(kExplodingShare)) {
            const double logNumber = random_.unit() * std::log(kLatestExplosion / 2);
            explodeAt_ = static_cast<std::int64_t>(2 * std::exp(logNumber));
        }
        offsetMinutes_ = kOffsets[static_cast<std::size_t>(random_.between(0, kOffsets.size() - 1))];
        clockNanos_ = (kEpochSeconds + random_.between(0, 3600)) * 1'000'000'000 + random_.between(0, 999'999'999);
    }

    bool exploded() const { return exploded_; }

    Message next() {
        ++number_;
        // 1 ms .. 1.5 s between two messages of one rocket.
        clockNanos_ += random_.between(1'000'000, 1'500'000'000);
        Message message{channel_, number_, formatTime(clockNanos_, offsetMinutes_), nextPayload()};
        return message;
    }

private:
    Payload nextPayload() {
        if (number_ == 1) {
            mission_ = pick(random_, kMissions);
            speed_ = random_.between(kMinSpeed, 3000);
            return RocketLaunched{pick(random_, kTypes), speed_, mission_};
        }
        if (number_ == explodeAt_) {
            exploded_ = true;
            return RocketExploded{pick(random_, kReasons)};
        }
        const double draw = random_.unit();
        // Only after an explosion (explode-midway): messages the fold must ignore,
        // including a second launch and a second explosion.
        if (exploded_ && draw < 0.05) return RocketLaunched{pick(random_, kTypes), random_.between(kMinSpeed, 3000),
                                                            pick(random_, kMissions)};
        if (exploded_ && draw < 0.10) return RocketExploded{pick(random_, kReasons)};
        if (draw < 0.42) return increase();
        if (draw < 0.84) {
            if (speed_ - kMinSpeed < 1) return increase();
            const std::int64_t by = random_.between(1, std::min<std::int64_t>(speed_ - kMinSpeed, 3000));
            speed_ -= by;
            return RocketSpeedDecreased{by};
        }
        std::string mission = pick(random_, kMissions);
        while (mission == mission_) mission = pick(random_, kMissions);
        mission_ = mission;
        return RocketMissionChanged{std::move(mission)};
    }

    Payload increase() {
        const std::int64_t by = random_.between(1, 3000);
        speed_ += by;
        return RocketSpeedIncreased{by};
    }

    SeededRandom random_;
    std::string channel_;
    std::int64_t number_ = 0;
    std::int64_t explodeAt_ = 0;  ///< 0: never
    bool exploded_ = false;
    std::int64_t speed_ = 0;
    std::string mission_;
    int offsetMinutes_ = 0;
    std::int64_t clockNanos_ = 0;
};

}  // namespace

TrafficGenerator::TrafficGenerator(GeneratorSettings settings) : settings_(settings) {}

std::string TrafficGenerator::channelId(std::uint64_t seed, std::size_t index) {
    SeededRandom random(seed, kChannelStream, index);
    std::uint64_t high = random.next();
    std::uint64_t low = random.next();
    high = (high & ~std::uint64_t{0xF000}) | 0x4000;                      // version 4
    low = (low & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);  // variant 10
    char buffer[37];
    std::snprintf(buffer, sizeof buffer, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                  static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                  static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
    return buffer;
}

std::vector<Message> TrafficGenerator::generate() const {
    std::vector<RocketScript> scripts;
    scripts.reserve(settings_.rockets);
    for (std::size_t i = 0; i < settings_.rockets; ++i) scripts.emplace_back(settings_.seed, i);

    std::vector<std::size_t> alive;
    for (std::size_t i = 0; i < settings_.rockets; ++i) alive.push_back(i);

    SeededRandom interleave(settings_.seed, kInterleaveStream);
    std::vector<Message> stream;
    stream.reserve(settings_.maxMessages);
    while (stream.size() < settings_.maxMessages && !alive.empty()) {
        const auto slot = static_cast<std::size_t>(interleave.between(0, static_cast<std::int64_t>(alive.size()) - 1));
        RocketScript& script = scripts[alive[slot]];
        stream.push_back(script.next());
        if (script.exploded() && !settings_.explodeMidway) alive.erase(alive.begin() + static_cast<std::ptrdiff_t>(slot));
    }
    return stream;
}

}  // namespace rockets::sim
