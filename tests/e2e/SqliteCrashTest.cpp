// The durability promise of DESIGN §2 against the real server on SQLite: every
// message acknowledged with 2xx survives kill -9, and the state after resending
// everything is exactly the in-order fold.
#include "Backends.h"
#include "ChildProcess.h"
#include "HttpClient.h"
#include "Messages.h"
#include "ServerProcess.h"
#include "TempDir.h"
#include "WaitUntil.h"

#include "rockets/Codec.h"
#include "rockets/Fold.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace rockets::test {

namespace {

using namespace std::chrono_literals;

constexpr int kChannels = 8;
constexpr int kMessagesPerChannel = 400;
constexpr int kClients = 4;

/// How long a client waits for an answer; the server being killed answers nothing.
constexpr std::chrono::seconds kClientTimeout{15};

std::string channelName(int c) { return "crash-" + std::to_string(c); }

/// The deterministic stream of one channel: launch, then speed and mission changes.
Message messageOf(int c, int n) {
    const std::string channel = channelName(c);
    const std::string time = "2022-02-02T19:" + std::to_string(10 + n / 60 % 50) + ":" +
                             std::to_string(10 + n % 50) + ".123456789+01:00";
    if (n == 1) return launched(channel, 1, "Falcon-" + std::to_string(c), 1000, "ARTEMIS", time);
    if (n % 11 == 0) return missionChanged(channel, n, "MISSION-" + std::to_string(n), time);
    if (n % 2 == 0) return speedUp(channel, n, n % 13, time);
    return slowDown(channel, n, n % 7, time);
}

Rocket foldOf(int c, int upTo) {
    Rocket rocket;
    rocket.channel = channelName(c);
    for (int n = 1; n <= upTo; ++n) apply(rocket, messageOf(c, n));
    return rocket;
}

std::map<std::string, std::string> sqliteDefines(const TempDir& dir) { return backendDefines("sqlite", dir); }

/// Drives every channel in order from kClients threads at full speed until
/// `stopAfterAcks` acknowledgements (0: until everything is sent) or until the
/// server stops answering. Returns, per channel, the highest number acknowledged
/// (each channel is sent by one thread in order, so acknowledgements form a prefix).
class Driver {
public:
    Driver(int port, int stopAfterAcks) : port_(port), stopAfterAcks_(stopAfterAcks), acked_(kChannels, 0) {}

    void start() {
        for (int t = 0; t < kClients; ++t) threads_.emplace_back([this, t] { drive(t); });
    }

    /// Blocks until the acknowledgement target is reached or every client stopped.
    void waitForTarget() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return (stopAfterAcks_ > 0 && acks_ >= stopAfterAcks_) || running_ == 0; });
    }

    std::vector<int> join() {
        for (auto& thread : threads_) thread.join();
        std::lock_guard lock(mutex_);
        return acked_;
    }

    int unexpected() const { return unexpected_.load(); }

private:
    void drive(int t) {
        HttpClient client(port_, kClientTimeout);
        for (int n = 1; n <= kMessagesPerChannel; ++n) {
            for (int c = t; c < kChannels; c += kClients) {
                const HttpResult reply = client.trySend("POST", "/messages", encodeMessage(messageOf(c, n)));
                if (reply.status == 0) return finish();  // the server is gone
                if (reply.status != 200 && reply.status != 202) {
                    ++unexpected_;
                    return finish();
                }
                std::lock_guard lock(mutex_);
                acked_[c] = n;
                ++acks_;
                changed_.notify_all();
            }
        }
        finish();
    }

    void finish() {
        std::lock_guard lock(mutex_);
        --running_;
        changed_.notify_all();
    }

    int port_;
    int stopAfterAcks_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<int> acked_;
    int acks_ = 0;
    int running_ = kClients;
    std::atomic<int> unexpected_{0};
    std::vector<std::thread> threads_;
};

/// Polls GET /rockets/{channel} until `done(rocket)` holds or the deadline passes;
/// returns the last rocket seen (nullopt if never visible).
template <typename Done>
std::optional<Rocket> awaitRocket(int port, int c, Done&& done, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    HttpClient client(port, kClientTimeout);
    std::optional<Rocket> last;
    // Waiting on another process's consumer: its HTTP answers are all we can observe.
    waitUntil(timeout, [&] {
        const HttpResult reply = client.trySend("GET", "/rockets/" + channelName(c));
        if (reply.status == 200) last = decodeRocket(reply.body);
        return last && done(*last);
    }, 20ms);
    return last;
}

}  // namespace

TEST(SqliteCrash, AcknowledgedMessagesSurviveKill9AndResendConverges) {
    TempDir dir;
    ServerProcess server(dir, sqliteDefines(dir));
    std::vector<int> acknowledged(kChannels, 0);  // highest acknowledged number per channel, over all rounds
    const int total = kChannels * kMessagesPerChannel;

    // Each round resends from message 1 (stored ones come back as duplicates) and is
    // killed at a later point, so every kill lands among new messages.
    for (int killAt : {total / 5, total / 2, total * 4 / 5}) {
        server.start();
        Driver driver(server.port(), killAt);
        driver.start();
        driver.waitForTarget();
        server.kill9();
        const auto acked = driver.join();
        EXPECT_EQ(driver.unexpected(), 0) << "a well-formed message was answered with neither 2xx nor silence";
        int ackedThisRound = 0;
        for (int c = 0; c < kChannels; ++c) {
            acknowledged[c] = std::max(acknowledged[c], acked[c]);
            ackedThisRound += acked[c];
        }
        ASSERT_LT(ackedThisRound, total) << "the kill came after the stream had ended";

        server.start();
        for (int c = 0; c < kChannels; ++c) {
            if (acknowledged[c] == 0) continue;
            // The start-up pass applies whatever was stored but not yet applied.
            auto seen = awaitRocket(server.port(), c,
                                    [&](const Rocket& r) { return r.lastMessageNumber >= acknowledged[c]; });
            ASSERT_TRUE(seen.has_value()) << channelName(c) << " not visible after restart\n" << server.log();
            EXPECT_GE(seen->lastMessageNumber, acknowledged[c])
                << channelName(c) << ": an acknowledged message was lost (kill after " << killAt << " acks)";
            EXPECT_EQ(*seen, foldOf(c, static_cast<int>(seen->lastMessageNumber)))
                << channelName(c) << ": the visible state is not the fold of its prefix";
        }
        server.kill9();
    }

    server.start();
    Driver everything(server.port(), 0);
    everything.start();
    const auto acked = everything.join();
    ASSERT_EQ(everything.unexpected(), 0);
    for (int c = 0; c < kChannels; ++c) {
        ASSERT_EQ(acked[c], kMessagesPerChannel) << channelName(c) << "\n" << server.log();
        const Rocket expected = foldOf(c, kMessagesPerChannel);
        auto seen = awaitRocket(server.port(), c, [&](const Rocket& r) { return r == expected; });
        ASSERT_TRUE(seen.has_value()) << channelName(c);
        EXPECT_EQ(*seen, expected) << channelName(c);
    }
    EXPECT_EQ(server.stop(), 0) << server.log();
}

// Another process holds the write lock: POST answers 503 `unavailable` with
// Retry-After (never 2xx for a message it could not store), GET keeps answering,
// and the server recovers as soon as the lock is released.
TEST(SqliteCrash, LockedDatabaseAnswers503AndRecovers) {
    TempDir dir;
    auto defines = sqliteDefines(dir);
    defines["rockets.sqlite.busyTimeoutMs"] = "100";
    ServerProcess server(dir, defines);
    server.start();
    HttpClient client(server.port(), kClientTimeout);
    ASSERT_EQ(client.trySend("POST", "/messages", encodeMessage(messageOf(0, 1))).status, 202);
    ASSERT_TRUE(awaitRocket(server.port(), 0, [](const Rocket& r) { return r.lastMessageNumber == 1; }));

    // The sqlite3 shell as the other process: it takes the write lock, says so
    // through a marker file, and holds the lock until the test writes to a FIFO;
    // then it runs out of commands and exits, which releases the lock.
    const std::string marker = dir.file("locked");
    const std::string release = dir.file("release");
    ASSERT_EQ(::mkfifo(release.c_str(), 0600), 0);
    // Debian's sqlite3 package (a test dependency, like redis-server).
    ChildProcess locker({"/usr/bin/sqlite3", defines.at("rockets.sqlite.path"), "BEGIN EXCLUSIVE;",
                         ".shell touch " + marker + " && cat " + release + " > /dev/null"},
                        dir.file("sqlite3.log"));
    const auto locked = [&] { return std::ifstream(marker).good(); };
    waitUntil(30s, [&] { return locked() || !locker.running(); });
    ASSERT_TRUE(locked()) << "sqlite3 never took the lock:\n" << locker.log();

    const HttpResult refused = client.trySend("POST", "/messages", encodeMessage(messageOf(0, 2)));
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_NE(refused.body.find("\"unavailable\""), std::string::npos) << refused.body;
    EXPECT_FALSE(refused.header("Retry-After").empty());
    EXPECT_EQ(client.trySend("GET", "/rockets/" + channelName(0)).status, 200) << "reads must not wait for the lock";

    std::ofstream(release) << "go\n";
    ASSERT_EQ(locker.wait(std::chrono::seconds(30)), 0) << locker.log();
    const HttpResult accepted = client.trySend("POST", "/messages", encodeMessage(messageOf(0, 2)));
    EXPECT_EQ(accepted.status, 202) << "the refused message must not have been stored: " << accepted.body;
    EXPECT_TRUE(awaitRocket(server.port(), 0, [](const Rocket& r) { return r.lastMessageNumber == 2; }));
    EXPECT_EQ(server.stop(), 0) << server.log();
}

}  // namespace rockets::test
