#include "Messages.h"
#include "StreamClient.h"
#include "StreamHub.h"

#include "rockets/Codec.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <string>

namespace rockets::test {

using server::StreamFilter;
using server::StreamHub;

namespace {

StreamHub::Options quick() {
    StreamHub::Options options;
    options.heartbeat = std::chrono::seconds(30);
    return options;
}

Rocket active(const std::string& channel, std::int64_t version, const std::string& type = "Falcon-9") {
    return rocket(channel, version, type);
}

std::string dataLine(const Rocket& r) { return "event: rocket\ndata: " + encodeRocket(r) + "\n\n"; }

}  // namespace

TEST(StreamHub, APublishedChangeArrivesAsAnEventWithAnId) {
    StreamHub hub(quick());
    StreamClient client(hub);
    client.readUntil("retry: 2000\n\n");
    hub.publish(active("a", 1));
    const std::string got = client.readUntil(dataLine(active("a", 1)));
    EXPECT_NE(got.find("id: " + hub.epoch() + "-1\nevent: rocket\n"), std::string::npos) << got;
}

TEST(StreamHub, UnlaunchedRocketsAreNeverSent) {
    StreamHub hub(quick());
    StreamClient client(hub);
    Rocket hidden;
    hidden.channel = "h";
    hidden.lastMessageNumber = 3;
    hub.publish(hidden);
    hub.publish(active("v", 1));
    const std::string got = client.readUntil(dataLine(active("v", 1)));
    EXPECT_EQ(got.find("\"h\""), std::string::npos) << got;
}

TEST(StreamHub, FiltersSelectChangesAndARocketLeavingTheFilterIsStillSent) {
    StreamHub hub(quick());
    StreamFilter onlyActive;
    onlyActive.status = RocketStatus::Active;
    StreamClient client(hub, onlyActive);
    Rocket boom = rocket("x", 5, "Falcon-9", 500, "ARTEMIS", RocketStatus::Exploded);
    hub.publish(rocket("y", 2, "Falcon-9", 500, "ARTEMIS", RocketStatus::Exploded));  // never matched
    hub.publish(boom, active("x", 4));                                                  // leaves the filter
    hub.publish(active("z", 1));
    const std::string got = client.readUntil(dataLine(active("z", 1)));
    EXPECT_EQ(got.find("\"channel\":\"y\""), std::string::npos) << got;
    EXPECT_NE(got.find(dataLine(boom)), std::string::npos) << got;
}

TEST(StreamHub, AFeedWithoutBeforeStillSendsARocketLeavingTheFilter) {
    StreamHub hub(quick());
    StreamFilter falcons;
    falcons.type = "Falcon-9";
    StreamClient client(hub, falcons);
    hub.publish(active("r", 1, "Falcon-9"));  // as a shared feed delivers it: no `before`
    client.readUntil(dataLine(active("r", 1, "Falcon-9")));
    hub.publish(active("r", 2, "Saturn-V"));
    client.readUntil(dataLine(active("r", 2, "Saturn-V")));
    hub.publish(active("r", 3, "Saturn-V"));  // no longer of interest
    hub.publish(active("s", 1, "Falcon-9"));
    const std::string got = client.readUntil(dataLine(active("s", 1, "Falcon-9")));
    EXPECT_EQ(got.find("\"lastMessageNumber\":3"), std::string::npos) << got;
}

TEST(StreamHub, SnapshotComesFirst) {
    StreamHub hub(quick());
    StreamClient client(hub, {}, "", {active("s1", 3), active("s2", 4)});
    const std::string got = client.readUntil(dataLine(active("s2", 4)));
    EXPECT_LT(got.find(dataLine(active("s1", 3))), got.find(dataLine(active("s2", 4))));
}

TEST(StreamHub, LastEventIdResumesAfterIt) {
    StreamHub hub(quick());
    for (int n = 1; n <= 5; ++n) hub.publish(active("c" + std::to_string(n), n));
    StreamClient client(hub, {}, hub.epoch() + "-3");
    const std::string got = client.readUntil(dataLine(active("c5", 5)));
    EXPECT_EQ(got.find("\"lastMessageNumber\":3"), std::string::npos) << got;
    EXPECT_NE(got.find(dataLine(active("c4", 4))), std::string::npos) << got;
    EXPECT_EQ(got.find("resync"), std::string::npos) << got;
}

// Changes taken in one flush (here: replayed after Last-Event-ID 0, so all at once
// whatever the timing) are coalesced per rocket into its newest state, in id order.
TEST(StreamHub, ChangesOfOneRocketInOneFlushArriveAsItsNewestState) {
    StreamHub hub(quick());
    hub.publish(active("a", 1));
    hub.publish(active("a", 2));
    hub.publish(active("b", 1));
    hub.publish(active("a", 3));
    StreamClient client(hub, {}, hub.epoch() + "-0");
    const std::string got = client.readUntil(dataLine(active("a", 3)));
    EXPECT_EQ(got.find(dataLine(active("a", 1))), std::string::npos) << got;
    EXPECT_EQ(got.find(dataLine(active("a", 2))), std::string::npos) << got;
    const auto b = got.find("id: " + hub.epoch() + "-3\n" + dataLine(active("b", 1)));
    const auto a = got.find("id: " + hub.epoch() + "-4\n" + dataLine(active("a", 3)));
    ASSERT_NE(b, std::string::npos) << got;
    ASSERT_NE(a, std::string::npos) << got;
    EXPECT_LT(b, a) << "ids stay increasing: " << got;
}

TEST(StreamHub, AStreamThatAsksForEveryChangeGetsEveryChange) {
    StreamHub hub(quick());
    hub.publish(active("a", 1));
    hub.publish(active("a", 2));
    hub.publish(active("a", 3));
    StreamFilter every;
    every.everyChange = true;
    StreamClient client(hub, every, hub.epoch() + "-0");
    const std::string got = client.readUntil(dataLine(active("a", 3)));
    const auto one = got.find(dataLine(active("a", 1)));
    const auto two = got.find(dataLine(active("a", 2)));
    ASSERT_NE(one, std::string::npos) << got;
    ASSERT_NE(two, std::string::npos) << got;
    EXPECT_LT(one, two) << got;
}

// With a filter, the newest change the stream wants is kept: here the one that takes
// the rocket out of its view, not the later one it does not want.
TEST(StreamHub, CoalescingKeepsTheNewestChangeAFilteredStreamWants) {
    StreamHub hub(quick());
    StreamFilter artemis;
    artemis.mission = "ARTEMIS";
    const Rocket in = rocket("m", 1, "Falcon-9", 100, "ARTEMIS");
    const Rocket out = rocket("m", 2, "Falcon-9", 100, "GEMINI");
    const Rocket later = rocket("m", 3, "Falcon-9", 300, "GEMINI");
    hub.publish(in);
    hub.publish(out, in);
    hub.publish(later, out);
    hub.publish(active("n", 1));
    StreamClient client(hub, artemis, hub.epoch() + "-0");
    const std::string got = client.readUntil(dataLine(active("n", 1)));
    EXPECT_NE(got.find(dataLine(out)), std::string::npos) << got;
    EXPECT_EQ(got.find(dataLine(in)), std::string::npos) << got;
    EXPECT_EQ(got.find(dataLine(later)), std::string::npos) << got;
}

TEST(StreamHub, AnIdOfAnotherProcessOrTooOldAsksForAResync) {
    StreamHub::Options options = quick();
    options.recentChanges = 3;
    StreamHub hub(options);
    for (int n = 1; n <= 10; ++n) hub.publish(active("c", n));
    StreamClient other(hub, {}, "deadbeef-7");
    other.readUntil("event: resync\ndata: {\"reason\":\"restart\"}\n\n");
    StreamClient old(hub, {}, hub.epoch() + "-2");
    old.readUntil("event: resync\ndata: {\"reason\":\"too_old\"}\n\n");
    StreamClient garbage(hub, {}, "no id at all");
    garbage.readUntil("event: resync\ndata: {\"reason\":\"restart\"}\n\n");
    // Counted per reason, in the order of kResyncReasons (restart, too_old, behind, feed_lost).
    const std::array<std::uint64_t, 4> sent = {2, 1, 0, 0};
    EXPECT_EQ(hub.resyncsSent(), sent);
    hub.publish(active("d", 1));
    EXPECT_NE(old.readUntil(dataLine(active("d", 1))).find(dataLine(active("d", 1))), std::string::npos);
}

TEST(StreamHub, AReaderThatStallsNeverBlocksPublishAndIsToldToResync) {
    StreamHub hub(quick());
    // Socket buffers of a few KB: 2,000 changes of distinct rockets with a 2 KB mission
    // (4 MB, all in the ring) are far more than they and the 1 MiB of unsent bytes hold.
    // Published before the client reads anything: publish must not wait for the reader.
    StreamClient stalled(hub, {}, "", {}, 4096);
    const std::string mission(2000, 'm');
    for (int n = 1; n <= 2000; ++n) hub.publish(rocket("p" + std::to_string(n), n, "Falcon-9", 500, mission));
    hub.publish(active("last", 1));
    stalled.readUntil("{\"reason\":\"behind\"}");
    // The newest change follows the resync.
    const std::string got = stalled.readUntil(dataLine(active("last", 1)));
    EXPECT_NE(got.find("event: resync\ndata: {\"reason\":\"behind\"}"), std::string::npos);
    // Dropping buffered events never tears one the socket had taken part of: every block
    // is a whole field list.
    std::size_t start = 0, blocks = 0;
    for (auto end = got.find("\n\n"); end != std::string::npos; end = got.find("\n\n", start)) {
        const std::string block = got.substr(start, end - start);
        const bool whole = block.rfind("retry: ", 0) == 0 || block.rfind("event: resync\ndata: {", 0) == 0 ||
                           (block.rfind("id: ", 0) == 0 && block.find("\nevent: rocket\ndata: {") != std::string::npos &&
                            block.back() == '}');
        ASSERT_TRUE(whole) << "block " << blocks << " at byte " << start << ": " << block.substr(0, 120);
        start = end + 2;
        ++blocks;
    }
    EXPECT_EQ(start, got.size());
}

// More changes between two flushes than the ring holds: the stream's cursor is left
// behind, so it is told to resync, then gets what the ring still has.
TEST(StreamHub, AStreamTheRingHasLeftBehindIsToldToResync) {
    StreamHub::Options options = quick();
    options.recentChanges = 16;
    options.flushInterval = std::chrono::milliseconds(500);
    StreamHub hub(options);
    StreamClient client(hub);
    client.readUntil("retry: 2000\n\n");
    // However the flushes fall, one interval holds more than 16 of these 200 changes
    // unless publishing them takes 6 s.
    for (int n = 1; n <= 200; ++n) hub.publish(active("r" + std::to_string(n), n));
    const std::string got = client.readUntil(dataLine(active("r200", 200)));
    const auto resync = got.find("event: resync\ndata: {\"reason\":\"behind\"}\n\n");
    ASSERT_NE(resync, std::string::npos) << got;
    EXPECT_GE(hub.resyncsSent()[2], 1u) << "counted as behind";
    EXPECT_LT(resync, got.find(dataLine(active("r200", 200)))) << got;
    std::size_t events = 0;
    for (auto at = got.find("event: rocket"); at != std::string::npos; at = got.find("event: rocket", at + 1)) ++events;
    EXPECT_LT(events, 200u) << "what left the ring is not sent";
}

TEST(StreamHub, LostFeedTellsEveryStreamToResync) {
    StreamHub hub(quick());
    StreamClient a(hub);
    StreamClient b(hub);
    hub.lost();
    a.readUntil("{\"reason\":\"feed_lost\"}");
    b.readUntil("{\"reason\":\"feed_lost\"}");
    EXPECT_EQ(hub.resyncsSent()[3], 2u) << "one feed_lost per stream";
}

// A client that was away while the shared feed was lost must not be replayed the ring:
// what the feed did not deliver is not in it, and the client would keep stale rockets.
TEST(StreamHub, AResumeFromBeforeALostFeedAsksForAResync) {
    StreamHub hub(quick());
    for (int n = 1; n <= 3; ++n) hub.publish(active("c", n));  // ids 1-3
    hub.lost();
    hub.publish(active("c", 5));  // id 4, after the feed came back; message 4's change was never heard
    StreamClient atTheLoss(hub, {}, hub.epoch() + "-3");
    atTheLoss.readUntil("event: resync\ndata: {\"reason\":\"feed_lost\"}\n\n");
    StreamClient earlier(hub, {}, hub.epoch() + "-2");
    earlier.readUntil("event: resync\ndata: {\"reason\":\"feed_lost\"}\n\n");
    EXPECT_EQ(hub.resyncsSent()[3], 2u);
    // An id after the loss resumes as usual: nothing was missed after it.
    StreamClient afterwards(hub, {}, hub.epoch() + "-4");
    hub.publish(active("d", 1));
    const std::string got = afterwards.readUntil(dataLine(active("d", 1)));
    EXPECT_NE(got.find(dataLine(active("d", 1))), std::string::npos) << got;
    EXPECT_EQ(got.find("resync"), std::string::npos) << got;
    EXPECT_EQ(got.find("\"lastMessageNumber\":5"), std::string::npos) << "id 4 was seen already: " << got;
}

// GET /changes?snapshot=true takes the ring's position, reads the list, then adopts the
// stream. A change applied in between is not in the list the client got: the stream must
// still send it, or the client keeps the older state until the rocket changes again.
TEST(StreamHub, AChangeAppliedWhileTheSnapshotIsReadIsStillSent) {
    StreamHub hub(quick());
    hub.publish(active("c", 1));
    const StreamHub::Position from = hub.position();
    hub.publish(active("c", 2));  // applied while the list (which says version 1) was read
    StreamClient client(hub, {}, "", {active("c", 1)}, 0, from);
    const std::string got = client.readUntil("id: " + hub.epoch() + "-2\n" + dataLine(active("c", 2)));
    EXPECT_NE(got.find(dataLine(active("c", 2))), std::string::npos) << got;
    EXPECT_LT(got.find(dataLine(active("c", 1))), got.find(dataLine(active("c", 2)))) << "the snapshot comes first";
    EXPECT_EQ(got.find("resync"), std::string::npos) << got;
}

TEST(StreamHub, AFeedLostWhileTheSnapshotIsReadAsksForAResync) {
    StreamHub hub(quick());
    const StreamHub::Position from = hub.position();
    hub.lost();
    StreamClient client(hub, {}, "", {}, 0, from);
    client.readUntil("event: resync\ndata: {\"reason\":\"feed_lost\"}\n\n");
    EXPECT_EQ(hub.resyncsSent()[3], 1u);
}

TEST(StreamHub, HeartbeatsKeepAnIdleStreamAlive) {
    StreamHub::Options options = quick();
    options.heartbeat = std::chrono::milliseconds(50);
    StreamHub hub(options);
    StreamClient client(hub);
    client.readUntil(": heartbeat\n\n");
    client.readUntil(": heartbeat\n\n");
}

TEST(StreamHub, StreamsAreCappedAndAClosedClientFreesItsSlot) {
    StreamHub::Options options = quick();
    options.maxStreams = 2;
    options.heartbeat = std::chrono::milliseconds(20);
    StreamHub hub(options);
    auto first = std::make_unique<StreamClient>(hub);
    StreamClient second(hub);
    EXPECT_FALSE(hub.reserve()) << "two of two are open";
    EXPECT_EQ(hub.streams(), 2u);
    first->socket().close();
    first.reset();
    // The writer notices the closed peer on its next poll (heartbeats every 20 ms).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (hub.streams() == 2 && std::chrono::steady_clock::now() < deadline) second.readUntil(": heartbeat\n\n");
    EXPECT_EQ(hub.streams(), 1u);
    EXPECT_TRUE(hub.reserve());
    hub.release();
}

}  // namespace rockets::test
