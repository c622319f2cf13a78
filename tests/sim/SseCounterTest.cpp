#include "rockets/sim/SseCounter.h"

#include <gtest/gtest.h>

#include <string>

using rockets::sim::SseCounter;
using rockets::sim::SseCounts;

namespace {

/// What the rockets server sends on GET /changes: a retry block, two rockets, a
/// heartbeat, a resync, and one more rocket.
const std::string kStream =
    "retry: 2000\n\n"
    "id: ab12-1\nevent: rocket\ndata: {\"channel\":\"a\",\"speed\":1}\n\n"
    "id: ab12-2\nevent: rocket\ndata: {\"channel\":\"b\",\"speed\":2}\n\n"
    ": heartbeat\n\n"
    "event: resync\ndata: {\"reason\":\"behind\"}\n\n"
    "id: ab12-3\nevent: rocket\ndata: {\"channel\":\"a\",\"speed\":3}\n\n";

SseCounts countOf(const std::string& text) {
    SseCounter counter;
    counter.feed(text);
    return counter.counts();
}

void expectCountsOfKStream(const SseCounts& counts, const std::string& where) {
    EXPECT_EQ(counts.eventsOf("rocket"), 3u) << where;
    EXPECT_EQ(counts.eventsOf("resync"), 1u) << where;
    EXPECT_EQ(counts.totalEvents(), 4u) << where;
    EXPECT_EQ(counts.comments, 1u) << where;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

}  // namespace

TEST(SseCounter, CountsEventsByNameAndHeartbeats) {
    const SseCounts counts = countOf(kStream);
    expectCountsOfKStream(counts, "one piece");
    EXPECT_EQ(counts.bytes, kStream.size());
    EXPECT_EQ(counts.events.size(), 2u) << "the retry-only block is no event";
}

TEST(SseCounter, EveryCutIntoThreePiecesCountsTheSame) {
    for (std::size_t first = 0; first <= kStream.size(); ++first) {
        for (std::size_t second = first; second <= kStream.size(); second += 7) {
            SseCounter counter;
            counter.feed(std::string_view(kStream).substr(0, first));
            counter.feed(std::string_view(kStream).substr(first, second - first));
            counter.feed(std::string_view(kStream).substr(second));
            expectCountsOfKStream(counter.counts(), "cut at " + std::to_string(first) + ", " + std::to_string(second));
            ASSERT_EQ(counter.counts().bytes, kStream.size());
        }
    }
}

TEST(SseCounter, ByteByByteCountsTheSame) {
    SseCounter counter;
    for (const char c : kStream) counter.feed(std::string_view(&c, 1));
    expectCountsOfKStream(counter.counts(), "byte by byte");
}

TEST(SseCounter, CrLfAndBareCrLineEndsCountTheSame) {
    const std::string crlf = replaceAll(kStream, "\n", "\r\n");
    expectCountsOfKStream(countOf(crlf), "CRLF");
    const std::string cr = replaceAll(kStream, "\n", "\r");
    expectCountsOfKStream(countOf(cr), "CR");
    // A CRLF cut between its CR and its LF is still one line end, not a blank line.
    for (std::size_t cut = 0; cut <= crlf.size(); ++cut) {
        SseCounter counter;
        counter.feed(std::string_view(crlf).substr(0, cut));
        counter.feed(std::string_view(crlf).substr(cut));
        expectCountsOfKStream(counter.counts(), "CRLF cut at " + std::to_string(cut));
    }
}

TEST(SseCounter, AnEventWithoutANameIsAMessage) {
    const SseCounts counts = countOf("data: one\n\ndata: two\ndata: lines\n\nevent: rocket\ndata: x\n\n");
    EXPECT_EQ(counts.eventsOf("message"), 2u);
    EXPECT_EQ(counts.eventsOf("rocket"), 1u);
}

TEST(SseCounter, TheNameDoesNotCarryOverToTheNextEvent) {
    const SseCounts counts = countOf("event: rocket\ndata: a\n\ndata: b\n\n");
    EXPECT_EQ(counts.eventsOf("rocket"), 1u);
    EXPECT_EQ(counts.eventsOf("message"), 1u);
}

TEST(SseCounter, ABlockWithoutDataIsNoEvent) {
    const SseCounts counts = countOf("event: rocket\n\nid: 7\n\nretry: 10\n\n");
    EXPECT_EQ(counts.totalEvents(), 0u);
    // A data field with no value still makes an event (its data is the empty string).
    EXPECT_EQ(countOf("event: rocket\ndata\n\n").eventsOf("rocket"), 1u);
    EXPECT_EQ(countOf("event:rocket\ndata:\n\n").eventsOf("rocket"), 1u);
}

TEST(SseCounter, AnEventNotEndedByABlankLineIsNotCounted) {
    SseCounter counter;
    counter.feed("event: rocket\ndata: a\n\nevent: rocket\ndata: b\n");
    EXPECT_EQ(counter.counts().eventsOf("rocket"), 1u);
    counter.feed("\n");
    EXPECT_EQ(counter.counts().eventsOf("rocket"), 2u);
}

TEST(SseCounter, EveryCommentLineCounts) {
    const SseCounts counts = countOf(": heartbeat\n\n:\n: one\n: two\nevent: rocket\n: inside\ndata: x\n\n");
    EXPECT_EQ(counts.comments, 5u);
    EXPECT_EQ(counts.eventsOf("rocket"), 1u);
}

TEST(SseCounts, AddsEveryStreamsCounts) {
    SseCounts sum = countOf(kStream);
    sum += countOf("event: other\ndata: x\n\n: hb\n");
    EXPECT_EQ(sum.eventsOf("rocket"), 3u);
    EXPECT_EQ(sum.eventsOf("other"), 1u);
    EXPECT_EQ(sum.totalEvents(), 5u);
    EXPECT_EQ(sum.comments, 2u);
    EXPECT_EQ(sum.bytes, kStream.size() + 27);
}
