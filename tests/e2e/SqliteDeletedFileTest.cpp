// The database deleted under a running server on SQLite (`rm data/rockets.db*`).
//
// What "no acknowledged message lost" can mean here: the messages acknowledged
// before the delete lived in the deleted files and are gone with them — the
// operator deleted them. The guarantee is that nothing is acknowledged *after* the
// delete: from the first transaction that commits after it the server answers 503,
// so the sender still holds every such message and delivers it once the server runs
// on a new file. The test sends the way the test program does (in order per
// channel, retrying any non-2xx), deletes the files mid-stream, checks that no
// request sent after the delete was acknowledged and that /healthz names the file,
// restarts the server, lets the senders finish, and then proves by resending every
// message which ones the new database holds: exactly those acknowledged after the
// restart (answered `duplicate`), while those acknowledged before the delete are
// stored anew (`accepted`). Finally every rocket converges to the fold of its stream.
#include "HttpClient.h"
#include "Messages.h"
#include "ServerProcess.h"
#include "TempDir.h"
#include "WaitUntil.h"

#include "rockets/Codec.h"
#include "rockets/Fold.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rockets::test {

namespace {

constexpr int kChannels = 4;
constexpr int kMessages = 300;    ///< per channel
constexpr int kDeleteAfter = 400;  ///< acknowledgements before the files are deleted

/// Where the test is: what a request's send time says about the file it can reach.
enum Phase : int { BeforeDelete = 0, Deleted = 1, Restarted = 2 };

std::string channelName(int c) { return "deleted-" + std::to_string(c); }

Message messageOf(int c, int n) {
    const std::string channel = channelName(c);
    if (n == 1) return launched(channel, 1, "Falcon-" + std::to_string(c), 1000, "ARTEMIS");
    if (n % 13 == 0) return missionChanged(channel, n, "MISSION-" + std::to_string(n));
    return n % 2 ? slowDown(channel, n, n % 7) : speedUp(channel, n, n % 11);
}

Rocket foldOf(int c) {
    Rocket rocket;
    rocket.channel = channelName(c);
    for (int n = 1; n <= kMessages; ++n) apply(rocket, messageOf(c, n));
    return rocket;
}

/// One sender per channel, in order, retrying every non-2xx as the test program
/// does. Records, per message, the phase in which the request that got the 2xx was sent.
class Senders {
public:
    explicit Senders(const ServerProcess& server)
        : port_(server.port()), ackedIn_(kChannels, std::vector<int>(kMessages + 1, -1)) {}

    void start() {
        for (int c = 0; c < kChannels; ++c) threads_.emplace_back([this, c] { send(c); });
    }
    void join() {
        for (auto& thread : threads_) thread.join();
    }

    /// Sets the phase; requests sent from now on carry it.
    void enter(Phase phase) {
        std::lock_guard lock(mutex_);
        phase_.store(phase);
        refusedInPhase_ = 0;
        changed_.notify_all();
    }

    /// Sends to `port` from now on (a restarted server listens on a new port).
    void retarget(int port) { port_.store(port); }

    /// Blocks until `predicate()` (evaluated under the lock) holds or `timeout` passes.
    template <typename Predicate>
    bool await(Predicate&& predicate, std::chrono::seconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return predicate(); });
    }

    int acks() const { return acks_; }                   ///< call under await's lock
    int refusedInPhase() const { return refusedInPhase_; }  ///< senders refused since enter(), ditto
    int running() const { return running_; }              ///< ditto

    /// The phase the acknowledged request of message n of channel c was sent in.
    int ackedIn(int c, int n) const { return ackedIn_[c][n]; }
    int unexpected() const { return unexpected_; }

private:
    void send(int c) {
        int port = port_.load();
        auto client = std::make_unique<HttpClient>(port, std::chrono::seconds(15));
        for (int n = 1; n <= kMessages; ++n) {
            const std::string body = encodeMessage(messageOf(c, n));
            int refusedIn = -1;  ///< the phase in which this sender last counted a refusal
            for (;;) {
                const int phase = phase_.load();
                if (port != port_.load()) {
                    port = port_.load();
                    client = std::make_unique<HttpClient>(port, std::chrono::seconds(15));
                }
                const HttpResult reply = client->trySend("POST", "/messages", body);
                {
                    std::lock_guard lock(mutex_);
                    if (reply.status == 200 || reply.status == 202) {
                        ackedIn_[c][n] = phase;
                        ++acks_;
                        changed_.notify_all();
                        break;
                    }
                    if (reply.status != 0 && reply.status != 503) ++unexpected_;
                    if (reply.status == 503 && phase == phase_.load() && refusedIn != phase) {
                        refusedIn = phase;
                        ++refusedInPhase_;
                        changed_.notify_all();
                    }
                }
                // The test program's retry, shortened: a sender's pace, not a synchronisation.
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
        std::lock_guard lock(mutex_);
        --running_;
        changed_.notify_all();
    }

    std::atomic<int> port_;
    std::atomic<int> phase_{BeforeDelete};
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::vector<int>> ackedIn_;  ///< guarded by mutex_
    int acks_ = 0;
    int refusedInPhase_ = 0;
    int running_ = kChannels;
    int unexpected_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace

TEST(SqliteDeletedFile, NothingIsAcknowledgedAfterTheDeleteAndTheNewFileHoldsEveryLaterAck) {
    TempDir dir;
    const std::string path = dir.file("data/rockets.db");
    ServerProcess server(dir, {{"rockets.store.events", "sqlite"},
                               {"rockets.store.rockets", "sqlite"},
                               {"rockets.sqlite.path", path}});
    server.start();
    Senders senders(server);
    senders.start();
    ASSERT_TRUE(senders.await([&] { return senders.acks() >= kDeleteAfter; }, std::chrono::seconds(120)))
        << server.log();

    for (const char* suffix : {"", "-wal", "-shm"}) ASSERT_EQ(::unlink((path + suffix).c_str()), 0) << suffix;
    senders.enter(Deleted);
    // Every sender is refused: none of them got through after the delete.
    senders.await([&] { return senders.refusedInPhase() == kChannels || senders.running() == 0; },
                  std::chrono::seconds(60));
    ASSERT_TRUE(senders.await([&] { return senders.refusedInPhase() == kChannels; }, std::chrono::seconds(0)))
        << "not every sender was refused after the delete\n" << server.log();
    const HttpResult health = httpRequest(server.port(), "GET", "/healthz");
    EXPECT_EQ(health.status, 503) << health.body;
    EXPECT_NE(health.body.find(path + " was deleted"), std::string::npos) << health.body;
    EXPECT_NE(::access(path.c_str(), F_OK), 0) << "the server created a new database behind the operator's back";

    // kill -9: a graceful stop waits for the consumer, whose writes keep failing.
    server.kill9();
    senders.enter(Restarted);
    server.start();  // a new, empty database at the same path
    senders.retarget(server.port());
    ASSERT_TRUE(senders.await([&] { return senders.running() == 0; }, std::chrono::seconds(120))) << server.log();
    senders.join();
    EXPECT_EQ(senders.unexpected(), 0) << "answers other than 2xx, 503 or no answer";

    int before = 0;
    int after = 0;
    HttpClient client(server.port());
    for (int c = 0; c < kChannels; ++c) {
        for (int n = 1; n <= kMessages; ++n) {
            const int phase = senders.ackedIn(c, n);
            ASSERT_NE(phase, static_cast<int>(Deleted))
                << channelName(c) << " message " << n << " was acknowledged after the delete, before the restart";
            ASSERT_NE(phase, -1) << channelName(c) << " message " << n << " was never acknowledged";
            const HttpResult again = client.send("POST", "/messages", encodeMessage(messageOf(c, n)));
            if (phase == Restarted) {
                ++after;
                EXPECT_EQ(again.status, 200) << channelName(c) << " message " << n
                                             << " was acknowledged after the restart but is not in the new file";
                EXPECT_NE(again.body.find("duplicate"), std::string::npos) << again.body;
            } else {
                ++before;
                EXPECT_EQ(again.status, 202) << channelName(c) << " message " << n
                                             << " was acknowledged before the delete, so it lived in the deleted file";
            }
        }
    }
    EXPECT_GE(before, kDeleteAfter);
    EXPECT_GT(after, 0);

    for (int c = 0; c < kChannels; ++c) {
        const Rocket expected = foldOf(c);
        std::optional<Rocket> seen;
        waitUntil(std::chrono::seconds(30), [&] {
            const HttpResult reply = client.send("GET", "/rockets/" + channelName(c));
            if (reply.status == 200) seen = decodeRocket(reply.body);
            return seen == expected;
        });
        EXPECT_EQ(seen, expected) << channelName(c);
    }
    EXPECT_EQ(server.stop(), 0) << server.log();
}

}  // namespace rockets::test
