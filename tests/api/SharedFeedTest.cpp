// SharedFeed: a store's shared change feed is subscribed only while change streams are
// open (or within the linger after the last one closed), and a stream resuming across
// a spell without it is asked to resync. With a store whose feed is in memory; the same
// against Redis and rockets-server processes: tests/e2e/RedisMultiInstanceTest.cpp.
#include "Messages.h"
#include "SharedFeed.h"
#include "StreamClient.h"
#include "StreamHub.h"
#include "WaitUntil.h"

#include "rockets/Codec.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace rockets::test {

using server::SharedFeed;
using server::StreamHub;
using namespace std::chrono_literals;

namespace {

/// A rocket store of which only the change feed is used: subscribe() keeps the
/// listener as a backend's subscriber thread would, and publish() delivers a committed
/// change to whoever listens (nobody, while unsubscribed).
class FeedStore final : public RocketStore {
public:
    /// `offersFeed` false: subscribe() refuses, as the memory and SQLite stores do.
    explicit FeedStore(bool offersFeed = true) : offersFeed_(offersFeed) {}

    std::optional<Rocket> get(const std::string&) override { return std::nullopt; }
    RocketPage list(const RocketQuery&) override { return {}; }
    bool compareAndSet(const Rocket&, std::int64_t) override { return false; }
    std::vector<std::pair<std::string, std::int64_t>> versions() override { return {}; }

    bool subscribe(CommittedChangeListener listener) override {
        if (!offersFeed_) return false;
        {
            std::unique_lock lock(mutex_);
            if (listener.changed && stall_) {
                // As Redis's subscriber while Redis does not answer: the call takes its time.
                stalled_ = true;
                changed_.notify_all();
                changed_.wait(lock, [this] { return !stall_; });
            }
            listener_ = std::move(listener);
            if (listener_.changed) ++subscriptions_;
        }
        changed_.notify_all();
        return true;
    }

    void publish(const Rocket& rocket) {
        std::lock_guard lock(mutex_);
        if (listener_.changed) listener_.changed(rocket);
    }

    bool listening() {
        std::lock_guard lock(mutex_);
        return static_cast<bool>(listener_.changed);
    }

    /// Waits until the feed is (or is not) subscribed; false after `timeout`.
    bool awaitListening(bool wanted, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return static_cast<bool>(listener_.changed) == wanted; });
    }

    int subscriptions() {
        std::lock_guard lock(mutex_);
        return subscriptions_;
    }

    /// While set, subscribe() returns only once it is cleared.
    void stallSubscriptions(bool stall) {
        {
            std::lock_guard lock(mutex_);
            stall_ = stall;
        }
        changed_.notify_all();
    }

    /// Waits until a subscribe() is stalled; false after `timeout`.
    bool awaitStalledSubscription(std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return stalled_; });
    }

private:
    const bool offersFeed_;
    std::mutex mutex_;
    std::condition_variable changed_;
    CommittedChangeListener listener_;
    int subscriptions_ = 0;
    bool stall_ = false;
    bool stalled_ = false;
};

/// A hub and a SharedFeed wired as Service wires them.
struct FeedAndHub {
    explicit FeedAndHub(std::chrono::milliseconds linger) {
        StreamHub::Options options;
        options.heartbeat = 30s;
        options.onReserve = [this] { feed->hold(); };
        options.onIdle = [this] { feed->idle(); };
        hub = std::make_unique<StreamHub>(options);
        feed = std::make_unique<SharedFeed>(store, *hub, linger);
    }
    ~FeedAndHub() { feed->stop(); }

    FeedStore store;
    std::unique_ptr<SharedFeed> feed;  // outlives the hub, which calls it
    std::unique_ptr<StreamHub> hub;
};

/// Closes the client end of `stream` and waits until the hub dropped it.
void closeStream(StreamClient& stream, StreamHub& hub) {
    stream.socket().close();
    EXPECT_TRUE(waitUntil(10s, [&] { return hub.streams() == 0; }, 1ms)) << "the hub did not notice the closed stream";
}

std::string eventOf(const Rocket& r) { return "event: rocket\ndata: " + encodeRocket(r) + "\n\n"; }

}  // namespace

TEST(SharedFeed, IsSubscribedWhileAStreamIsOpenAndEndsALingerAfterTheLast) {
    FeedAndHub f(50ms);
    ASSERT_TRUE(f.feed->start());
    ASSERT_EQ(f.store.subscriptions(), 1) << "start() subscribes to learn that the store has a feed";
    ASSERT_TRUE(f.store.awaitListening(false)) << "no stream open after start: unsubscribed at once";

    StreamClient stream(*f.hub);
    EXPECT_TRUE(f.store.listening()) << "a stream that has opened is subscribed before its position is taken";
    const Rocket first = rocket("lazy", 1);
    f.store.publish(first);
    EXPECT_NE(stream.readUntil(eventOf(first)).find(eventOf(first)), std::string::npos);

    closeStream(stream, *f.hub);
    EXPECT_TRUE(f.store.awaitListening(false)) << "the last stream closed: unsubscribed after the linger";
    EXPECT_EQ(f.store.subscriptions(), 2) << "at start, and for the stream";
}

TEST(SharedFeed, AStreamOpenAtTheEndOfTheLingerKeepsTheFeed) {
    FeedAndHub f(20ms);
    ASSERT_TRUE(f.feed->start());
    StreamClient stream(*f.hub);
    const int subscriptions = f.store.subscriptions();
    // Many lingers later, with the stream open all along: still the same subscription.
    f.feed->idle();  // as if another stream had closed meanwhile
    std::this_thread::sleep_for(200ms);  // ten lingers: nothing to await, the feed must not act
    EXPECT_TRUE(f.store.listening());
    EXPECT_EQ(f.store.subscriptions(), subscriptions);
    const Rocket first = rocket("kept", 1);
    f.store.publish(first);
    EXPECT_NE(stream.readUntil(eventOf(first)).find(eventOf(first)), std::string::npos);
}

TEST(SharedFeed, AResumeFromBeforeAnUnsubscribedSpellAsksForAResync) {
    FeedAndHub f(50ms);
    ASSERT_TRUE(f.feed->start());
    std::string lastId;
    {
        StreamClient stream(*f.hub);
        f.store.publish(rocket("gap", 1));
        const std::string text = stream.readUntil(eventOf(rocket("gap", 1)));
        lastId = f.hub->epoch() + "-1";
        ASSERT_NE(text.find("id: " + lastId + "\n"), std::string::npos) << text;
        closeStream(stream, *f.hub);
    }
    ASSERT_TRUE(f.store.awaitListening(false));
    f.store.publish(rocket("gap", 2));  // nobody listens: the hub never has it

    StreamClient resumed(*f.hub, {}, lastId);
    const std::string resync = "event: resync\ndata: {\"reason\":\"feed_lost\"}\n\n";
    EXPECT_NE(resumed.readUntil(resync).find(resync), std::string::npos)
        << "the ring lacks version 2: the client must reload";
    f.store.publish(rocket("gap", 3));
    EXPECT_NE(resumed.readUntil(eventOf(rocket("gap", 3))).find(eventOf(rocket("gap", 3))), std::string::npos);
}

TEST(SharedFeed, AStreamReconnectingWithinTheLingerResumesWithoutAResync) {
    FeedAndHub f(10min);
    ASSERT_TRUE(f.feed->start());
    int subscriptions = 0;
    {
        StreamClient stream(*f.hub);
        subscriptions = f.store.subscriptions();
        f.store.publish(rocket("back", 1));
        stream.readUntil(eventOf(rocket("back", 1)));
        closeStream(stream, *f.hub);
    }
    f.store.publish(rocket("back", 2));  // no stream open, but the feed still listens

    StreamClient resumed(*f.hub, {}, f.hub->epoch() + "-1");
    const std::string text = resumed.readUntil(eventOf(rocket("back", 2)));
    EXPECT_NE(text.find(eventOf(rocket("back", 2))), std::string::npos) << text;
    EXPECT_EQ(text.find("resync"), std::string::npos) << text;
    EXPECT_EQ(f.store.subscriptions(), subscriptions) << "subscribed all along";
}

TEST(SharedFeed, TheHubsWriterNeverWaitsForASubscriptionUnderWay) {
    FeedAndHub f(0ms);
    ASSERT_TRUE(f.feed->start());
    ASSERT_TRUE(f.store.awaitListening(false));
    // A stream opening while the store takes its time to subscribe (Redis unreachable:
    // up to rockets.redis.timeoutMs): its request thread waits in hold() ...
    f.store.stallSubscriptions(true);
    auto opening = std::async(std::launch::async, [&] { f.feed->hold(); });
    ASSERT_TRUE(f.store.awaitStalledSubscription());
    // ... but the hub's writer thread, telling the feed that the last stream closed, does not.
    auto closing = std::async(std::launch::async, [&] { f.feed->idle(); });
    EXPECT_EQ(closing.wait_for(10s), std::future_status::ready) << "idle() waited for the subscription";
    f.store.stallSubscriptions(false);
    opening.get();
    closing.get();
    EXPECT_EQ(f.store.subscriptions(), 2) << "at start, and for the stream";
}

TEST(SharedFeed, AStoreWithoutAFeedIsNeverSubscribed) {
    StreamHub hub(StreamHub::Options{});
    FeedStore store(false);
    SharedFeed feed(store, hub, 0ms);
    EXPECT_FALSE(feed.start());
    feed.hold();
    EXPECT_FALSE(feed.subscribed());
    EXPECT_EQ(store.subscriptions(), 0);
}

}  // namespace rockets::test
