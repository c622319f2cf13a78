// A message's cost in the store alone, on one thread through the production
// PluginLoader: EventStore::append, and the projection's compareAndSetMany of one
// rocket (the consumer's write after a message; with no appends flowing it commits
// at once, at NORMAL: sqlite's projection-only transactions always do). No HTTP edge,
// no consumer, no other thread to wait for: the floor under what the store adds to a
// message (bench/RESULTS.md's "mean append" also holds waits behind other commits).
// The redis plugin is left out: it needs a redis-server (bench/ab.sh measures it).
#include "rockets/PluginLoader.h"
#include "rockets/Stores.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

/// One plugin's stores on a fresh database in a temporary folder, removed after.
class StoresUnderTest {
public:
    StoresUnderTest(const std::string& plugin, const std::string& synchronous) : loader_(ROCKETS_PLUGIN_DIR) {
        std::string folder = (std::filesystem::temp_directory_path() / "rockets-storebench.XXXXXX").string();
        if (::mkdtemp(folder.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + folder);
        folder_ = folder;
        Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
        config->setString("rockets.sqlite.path", (folder_ / "rockets.db").string());
        if (!synchronous.empty()) config->setString("rockets.sqlite.synchronous", synchronous);
        stores_ = std::make_unique<rockets::Stores>(loader_, plugin, plugin);
        stores_->open(*config);
    }
    ~StoresUnderTest() {
        stores_.reset();  // before the loader unloads the plugin
        std::error_code ignored;
        std::filesystem::remove_all(folder_, ignored);
    }
    StoresUnderTest(const StoresUnderTest&) = delete;
    StoresUnderTest& operator=(const StoresUnderTest&) = delete;

    rockets::EventStore& events() { return stores_->events(); }
    rockets::RocketStore& rockets() { return stores_->rockets(); }

private:
    rockets::PluginLoader loader_;
    std::filesystem::path folder_;
    std::unique_ptr<rockets::Stores> stores_;
};

/// The test program's shape: 20 channels, each message the next number of its channel.
constexpr int kChannels = 20;

rockets::Message nextMessage(std::int64_t i) {
    rockets::Message message;
    message.channel = "bench-" + std::to_string(i % kChannels);
    message.number = i / kChannels + 1;
    message.time = "2022-02-02T19:39:05.86337+01:00";
    message.payload = rockets::RocketSpeedIncreased{500};
    return message;
}

void BM_Append(benchmark::State& state, const std::string& plugin, const std::string& synchronous) {
    StoresUnderTest stores(plugin, synchronous);
    std::int64_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(stores.events().append(nextMessage(i++)));
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_Project(benchmark::State& state, const std::string& plugin, const std::string& synchronous) {
    StoresUnderTest stores(plugin, synchronous);
    std::vector<rockets::Rocket> rockets(kChannels);
    std::int64_t i = 0;
    for (auto _ : state) {
        // The consumer's write after a message: the rocket one version further.
        rockets::Rocket& rocket = rockets[static_cast<std::size_t>(i % kChannels)];
        const std::int64_t version = rocket.lastMessageNumber;
        rocket.channel = "bench-" + std::to_string(i % kChannels);
        rocket.type = "Falcon-9";
        rocket.mission = "ARTEMIS";
        rocket.status = rockets::RocketStatus::Active;
        rocket.speed += 500;
        rocket.lastMessageNumber = version + 1;
        rocket.updatedAt = "2022-02-02T19:39:05.86337+01:00";
        rocket.launchedAt = rocket.updatedAt;
        benchmark::DoNotOptimize(stores.rockets().compareAndSetMany({rockets::RocketWrite{rocket, version}}));
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

}  // namespace

#if ROCKETS_STOREBENCH_MEMORY
BENCHMARK_CAPTURE(BM_Append, memory, std::string("memory"), std::string());
BENCHMARK_CAPTURE(BM_Project, memory, std::string("memory"), std::string());
#endif
#if ROCKETS_STOREBENCH_SQLITE
BENCHMARK_CAPTURE(BM_Append, sqlite_normal, std::string("sqlite"), std::string("NORMAL"));
BENCHMARK_CAPTURE(BM_Append, sqlite_full, std::string("sqlite"), std::string("FULL"));
BENCHMARK_CAPTURE(BM_Project, sqlite, std::string("sqlite"), std::string("NORMAL"));
#endif
