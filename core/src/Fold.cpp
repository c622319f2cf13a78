#include "rockets/Fold.h"

#include <type_traits>

namespace rockets {

namespace {

struct Applier {
    Rocket& rocket;
    const Message& message;

    FoldOutcome operator()(const RocketLaunched& launched) const {
        if (rocket.status != RocketStatus::Unlaunched) return FoldOutcome::Ignored;
        rocket.type = launched.type;
        rocket.speed = launched.launchSpeed;
        rocket.mission = launched.mission;
        rocket.status = RocketStatus::Active;
        rocket.launchedAt = message.time;
        return FoldOutcome::Changed;
    }

    FoldOutcome operator()(const RocketSpeedIncreased& change) const {
        if (rocket.status != RocketStatus::Active) return FoldOutcome::Ignored;
        std::int64_t result = 0;
        if (__builtin_add_overflow(rocket.speed, change.by, &result)) return FoldOutcome::Overflow;
        rocket.speed = result;
        return FoldOutcome::Changed;
    }

    FoldOutcome operator()(const RocketSpeedDecreased& change) const {
        if (rocket.status != RocketStatus::Active) return FoldOutcome::Ignored;
        std::int64_t result = 0;
        if (__builtin_sub_overflow(rocket.speed, change.by, &result)) return FoldOutcome::Overflow;
        rocket.speed = result;
        return FoldOutcome::Changed;
    }

    FoldOutcome operator()(const RocketExploded& exploded) const {
        if (rocket.status != RocketStatus::Active) return FoldOutcome::Ignored;
        rocket.status = RocketStatus::Exploded;
        rocket.reason = exploded.reason;
        return FoldOutcome::Changed;
    }

    FoldOutcome operator()(const RocketMissionChanged& change) const {
        if (rocket.status != RocketStatus::Active) return FoldOutcome::Ignored;
        rocket.mission = change.newMission;
        return FoldOutcome::Changed;
    }
};

}  // namespace

FoldOutcome apply(Rocket& rocket, const Message& message) {
    rocket.channel = message.channel;
    const FoldOutcome outcome = std::visit(Applier{rocket, message}, message.payload);
    rocket.lastMessageNumber = message.number;
    rocket.updatedAt = message.time;
    return outcome;
}

}  // namespace rockets
