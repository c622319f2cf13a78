// The fold: one rocket's whole life applied message by message, the consumer's
// inner loop once events are read.
#include "Bodies.h"

#include "rockets/Codec.h"
#include "rockets/Fold.h"

#include <benchmark/benchmark.h>

#include <vector>

namespace {

/// Launch, then speed changes and mission changes, ending with an explosion:
/// the shape of a test-program channel (~6,500 messages at most).
std::vector<rockets::Message> lifeOfARocket(std::size_t length) {
    std::vector<rockets::Message> messages;
    auto make = [&](std::size_t bodyIndex) {
        rockets::Message message = std::get<rockets::Message>(rockets::parseMessage(rockets::bench::kBodies[bodyIndex].json));
        message.number = static_cast<std::int64_t>(messages.size() + 1);
        messages.push_back(std::move(message));
    };
    make(0);
    while (messages.size() + 1 < length) make(1 + messages.size() % 3);
    make(4);
    return messages;
}

void BM_FoldApply(benchmark::State& state) {
    const auto messages = lifeOfARocket(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        rockets::Rocket rocket;
        for (const auto& message : messages) benchmark::DoNotOptimize(rockets::apply(rocket, message));
        benchmark::DoNotOptimize(rocket);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * messages.size()));
}
BENCHMARK(BM_FoldApply)->Arg(100)->Arg(6500);

/// One speed change on an active rocket: the most common message.
void BM_FoldApplySpeedChange(benchmark::State& state) {
    const auto messages = lifeOfARocket(3);
    rockets::Rocket rocket;
    rockets::apply(rocket, messages[0]);
    rockets::Message change = messages[1];
    for (auto _ : state) {
        change.number = rocket.lastMessageNumber + 1;
        benchmark::DoNotOptimize(rockets::apply(rocket, change));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_FoldApplySpeedChange);

}  // namespace
