// Codec micro-benchmarks: the ingest parse (parseMessage = Poco::JSON with the
// codec's handler + validation) on each message type, Poco::JSON's own DOM on
// the same bodies for scale, the payload decode of the stores' read path, and
// the encoders.
#include "Bodies.h"

#include "rockets/Codec.h"

#include <Poco/JSON/Parser.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

using rockets::bench::kBodies;

void setBytes(benchmark::State& state, std::size_t bytesPerIteration) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytesPerIteration));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_ParseMessage(benchmark::State& state) {
    const auto& body = kBodies[static_cast<std::size_t>(state.range(0))];
    state.SetLabel(std::string(body.name));
    for (auto _ : state) {
        rockets::ParseResult result = rockets::parseMessage(body.json);
        benchmark::DoNotOptimize(result);
    }
    setBytes(state, body.json.size());
}
BENCHMARK(BM_ParseMessage)->DenseRange(0, static_cast<int>(kBodies.size()) - 1);

/// The stores' read path: a stored canonical payload back to a Payload.
void BM_DecodePayload(benchmark::State& state) {
    const auto& body = kBodies[static_cast<std::size_t>(state.range(0))];
    state.SetLabel(std::string(body.name));
    const auto message = std::get<rockets::Message>(rockets::parseMessage(body.json));
    const std::string payload = rockets::encodePayload(message.payload);
    for (auto _ : state) benchmark::DoNotOptimize(rockets::decodePayload(message.type(), payload));
    setBytes(state, payload.size());
}
BENCHMARK(BM_DecodePayload)->DenseRange(0, static_cast<int>(kBodies.size()) - 1);

/// Poco::JSON's DOM (Parser with its default ParseHandler), parse only, no
/// validation: what the codec's own handler saves over the DOM.
void BM_PocoJsonParse(benchmark::State& state) {
    const auto& body = kBodies[static_cast<std::size_t>(state.range(0))];
    state.SetLabel(std::string(body.name));
    const std::string text(body.json);
    for (auto _ : state) {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var value = parser.parse(text);
        benchmark::DoNotOptimize(value);
    }
    setBytes(state, body.json.size());
}
BENCHMARK(BM_PocoJsonParse)->DenseRange(0, static_cast<int>(kBodies.size()) - 1);

/// The five bodies in turn, as the ingest path sees a mix.
void BM_ParseMessageMix(benchmark::State& state) {
    std::size_t i = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto& body = kBodies[i];
        bytes += body.json.size();
        rockets::ParseResult result = rockets::parseMessage(body.json);
        benchmark::DoNotOptimize(result);
        i = (i + 1) % kBodies.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseMessageMix);

void BM_EncodeMessage(benchmark::State& state) {
    const auto parsed = rockets::parseMessage(kBodies[0].json);
    const auto& message = std::get<rockets::Message>(parsed);
    for (auto _ : state) benchmark::DoNotOptimize(rockets::encodeMessage(message));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EncodeMessage);

rockets::Rocket sampleRocket(int i) {
    char channel[48];
    std::snprintf(channel, sizeof channel, "193270a9-c9cf-404a-8f83-%012d", i);
    rockets::Rocket rocket;
    rocket.channel = channel;
    rocket.type = "Falcon-9";
    rocket.speed = 500 + i;
    rocket.mission = "ARTEMIS";
    rocket.status = rockets::RocketStatus::Active;
    rocket.launchedAt = "2025-04-02T09:21:50.458989221+02:00";
    rocket.updatedAt = "2025-04-02T09:22:10.001002003+02:00";
    rocket.lastMessageNumber = 4200;
    return rocket;
}

void BM_EncodeRocket(benchmark::State& state) {
    const rockets::Rocket rocket = sampleRocket(1);
    for (auto _ : state) benchmark::DoNotOptimize(rockets::encodeRocket(rocket));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EncodeRocket);

/// GET /rockets pages: 100 (the dashboard's limit) and 1000 (the default).
void BM_EncodeRockets(benchmark::State& state) {
    std::vector<rockets::Rocket> rockets;
    for (int i = 0; i < state.range(0); ++i) rockets.push_back(sampleRocket(i));
    for (auto _ : state) benchmark::DoNotOptimize(rockets::encodeRockets(rockets));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * state.range(0)));
}
BENCHMARK(BM_EncodeRockets)->Arg(100)->Arg(1000);

}  // namespace
