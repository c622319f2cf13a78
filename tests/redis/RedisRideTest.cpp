// Projection writes riding in the append pipeline (AppendPipeline::ride): while appends
// come one at a time, close together, a compareAndSetMany goes to Redis in the pipeline
// of the next append instead of in a round trip of its own; with no append to carry
// it, it goes alone after a short wait. Either way its result is the same.
//
// Counted with Redis' own statistics: total_reads_processed grows by one for each
// request Redis reads from a client socket (a pipeline sent in one write is one read),
// so a write carried by an append's pipeline costs no read of its own.
#include "Messages.h"
#include "RedisStores.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <string>
#include <thread>

namespace rockets::test {

namespace {

/// Redis' total_reads_processed. Each call is a fresh connection: its request and,
/// once it has closed, its end of stream are two reads, seen by the next call.
int readsProcessed(const RedisServer& server) {
    const auto reads = server.infoNumber("stats", "total_reads_processed:");
    if (!reads) throw std::runtime_error("INFO stats has no total_reads_processed");
    return static_cast<int>(*reads);
}

/// `prefix` followed by `n` (not `"r" + std::to_string(n)`: GCC 12 warns about it, bug 105651).
std::string numbered(const char* prefix, int n) {
    std::string name(prefix);
    name += std::to_string(n);
    return name;
}

/// "reads x attempts, ..." for a failure message.
std::string describe(const std::map<int, int>& seen) {
    std::string text;
    for (const auto& [reads, attempts] : seen) {
        if (!text.empty()) text += ", ";
        text += std::to_string(reads);
        text += " x ";
        text += std::to_string(attempts);
    }
    return text;
}

/// What one attempt saw.
struct Attempt {
    std::vector<bool> written;  ///< compareAndSetMany's answer
    int reads = 0;              ///< Redis reads from before the appends until after the write
};

class RedisRide : public ::testing::Test {
protected:
    static constexpr int kAppends = 20;
    /// Reads of an attempt besides the write's own: one per append, and two for the
    /// measuring connection (see readsProcessed).
    static constexpr int kOtherReads = kAppends + 2;
    /// How long to keep trying for a write that rides. Whether the next append comes
    /// within the write's wait is up to the scheduler: on a loaded 2-core machine one
    /// attempt in thirty rode; on an idle one, the first.
    static constexpr std::chrono::seconds kPatience{30};

    void SetUp() override {
        // No background reindexing: its commands would count as reads.
        stores_.set("rockets.redis.reindexQuietMs", "0");
        stores_.open();
        // Loads both scripts: a NOSCRIPT round would add reads.
        ASSERT_EQ(stores_.events().append(speedUp("warm-up", 1, 1)), AppendResult::Stored);
        ASSERT_TRUE(stores_.rockets().compareAndSet(rocket("warm-up", 1), 0));
    }

    /// A thread appends kAppends messages to `flow`, one after another; once two are
    /// stored (appends are flowing), this thread writes version 1 of `channel`.
    Attempt attempt(const std::string& flow, const std::string& channel) {
        Attempt seen;
        std::atomic<int> stored{0};
        std::atomic<bool> appending{true};
        const int before = readsProcessed(server_);
        std::thread appender([&] {
            for (int n = 1; n <= kAppends; ++n) {
                EXPECT_EQ(stores_.events().append(speedUp(flow, n, n)), AppendResult::Stored);
                ++stored;
            }
            appending = false;
        });
        while (stored.load() < 2 && appending.load()) std::this_thread::yield();
        std::exception_ptr error;  // rethrown once the appender is joined
        try {
            seen.written = stores_.rockets().compareAndSetMany({{rocket(channel, 1), 0}});
        } catch (...) {
            error = std::current_exception();
        }
        appender.join();
        if (error) std::rethrow_exception(error);
        seen.reads = readsProcessed(server_) - before;
        return seen;
    }

    RedisServer server_;  // private: its statistics are this test's alone
    RedisStores stores_{server_, RedisStores::uniquePrefix("ride")};
};

}  // namespace

TEST_F(RedisRide, AProjectionWriteWhileAppendsFlowRidesInAnAppendsPipeline) {
    // Attempts repeat until one rode (kPatience); each one's write must be right either way.
    bool rode = false;
    std::map<int, int> seen;  // reads of the write -> attempts
    const auto until = std::chrono::steady_clock::now() + kPatience;
    for (int i = 0; !rode && std::chrono::steady_clock::now() < until; ++i) {
        const std::string channel = numbered("r", i);
        const Attempt a = attempt(numbered("flow", i), channel);
        ASSERT_EQ(a.written, std::vector<bool>{true}) << "attempt " << i;
        const auto stored = stores_.rockets().get(channel);
        ASSERT_TRUE(stored.has_value());
        EXPECT_EQ(stored->lastMessageNumber, 1);
        ASSERT_GE(a.reads, kOtherReads) << "every append is a read of its own";
        rode = a.reads == kOtherReads;
        ++seen[a.reads - kOtherReads];
    }
    EXPECT_TRUE(rode) << "no write went without a read of its own; attempts by the write's reads: " << describe(seen);
    // The writes were applied where they rode: a second write at the old version loses.
    EXPECT_EQ(stores_.rockets().compareAndSetMany({{rocket("r0", 2), 0}}), std::vector<bool>{false});
}

TEST_F(RedisRide, AProjectionWriteWithNoAppendToCarryItGoesAlone) {
    for (int n = 1; n <= 3; ++n) ASSERT_EQ(stores_.events().append(speedUp("flow", n, n)), AppendResult::Stored);
    // Appends were flowing, and none follows: the write must not wait for one for long.
    // (Without its deadline it would wait for ever and this test would time out.)
    const int before = readsProcessed(server_);
    EXPECT_EQ(stores_.rockets().compareAndSetMany({{rocket("alone", 1), 0}, {rocket("warm-up", 2), 1}}),
              (std::vector<bool>{true, true}));
    EXPECT_EQ(readsProcessed(server_) - before, 1 + 2) << "one pipeline of its own";
    EXPECT_EQ(stores_.rockets().get("warm-up")->lastMessageNumber, 2);
}

TEST_F(RedisRide, AWriteThatRodeReloadsItsScriptWhenRedisLostIt) {
    // After SCRIPT FLUSH the append's batch reloads its own script; a compare-and-set
    // that rode along got NOSCRIPT and must load its script and send itself again.
    // Reads of the write: 2 when it rode (SCRIPT LOAD, its pipeline again), 3 alone
    // (its pipeline, SCRIPT LOAD, again); the appends' reload adds 2.
    bool rode = false;
    std::map<int, int> seen;  // reads of the write -> attempts
    const auto until = std::chrono::steady_clock::now() + kPatience;
    for (int i = 0; !rode && std::chrono::steady_clock::now() < until; ++i) {
        ASSERT_EQ(server_.command({"SCRIPT", "FLUSH"}), "OK");
        const std::string channel = numbered("s", i);
        const Attempt a = attempt(numbered("flushed", i), channel);
        ASSERT_EQ(a.written, std::vector<bool>{true}) << "attempt " << i;
        ASSERT_EQ(stores_.rockets().get(channel)->lastMessageNumber, 1);
        // (SCRIPT FLUSH's connection closed before the attempt began measuring.)
        const int own = a.reads - kOtherReads - 2;
        ASSERT_GE(own, 2);
        rode = own == 2;
        ++seen[own];
    }
    EXPECT_TRUE(rode) << "no write rode; attempts by the write's reads: " << describe(seen);
}

}  // namespace rockets::test
