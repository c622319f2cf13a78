#include "rockets/sim/WatchReport.h"

#include <gtest/gtest.h>

#include <sstream>

using rockets::sim::WatchedStream;
using rockets::sim::WatchReport;

namespace {

WatchedStream stream(std::uint64_t rockets, std::uint64_t resyncs, std::uint64_t heartbeats, std::uint64_t bytes) {
    WatchedStream watched;
    watched.opened = true;
    if (rockets > 0) watched.counts.events["rocket"] = rockets;
    if (resyncs > 0) watched.counts.events["resync"] = resyncs;
    watched.counts.comments = heartbeats;
    watched.counts.bytes = bytes;
    return watched;
}

std::string text(const WatchReport& report) {
    std::ostringstream out;
    report.writeText(out);
    return out.str();
}

}  // namespace

TEST(WatchReport, SumsEveryStreamIntoOneLine) {
    WatchReport report;
    report.streams = {stream(10, 1, 2, 1000), stream(12, 0, 3, 1100)};
    report.streams[1].counts.events["message"] = 4;
    EXPECT_EQ(text(report),
              "rockets-sim watch: 2 streams, 27 events (rocket 22, resync 1, message 4), 5 heartbeats, 2100 bytes\n");
    EXPECT_TRUE(report.succeeded());
}

TEST(WatchReport, NamesRocketAndResyncEvenWhenNoneCame) {
    WatchReport report;
    report.streams = {stream(0, 0, 0, 0)};
    EXPECT_EQ(text(report), "rockets-sim watch: 1 streams, 0 events (rocket 0, resync 0), 0 heartbeats, 0 bytes\n");
    EXPECT_NE(report.toJson().find("\"events\":{\"rocket\":0,\"resync\":0}"), std::string::npos) << report.toJson();
}

TEST(WatchReport, ClosedStreamsAreCountedButDoNotFail) {
    WatchReport report;
    report.streams = {stream(1, 0, 0, 10), stream(1, 0, 0, 10)};
    report.streams[0].closed = true;
    EXPECT_NE(text(report).find(", 1 closed by the server\n"), std::string::npos) << text(report);
    EXPECT_TRUE(report.succeeded());
    EXPECT_NE(report.toJson().find("\"closed\":1,"), std::string::npos) << report.toJson();
}

TEST(WatchReport, AFailedOrUnopenedStreamFailsTheWatch) {
    WatchReport failed;
    failed.streams = {stream(1, 0, 0, 10), WatchedStream{}};
    failed.streams[1].error = "answered 404 Not Found, not 200";
    EXPECT_FALSE(failed.succeeded());
    ASSERT_EQ(failed.errors().size(), 1u);
    EXPECT_EQ(failed.errors()[0], "stream 2: answered 404 Not Found, not 200");
    EXPECT_NE(text(failed).find(", 1 failed\n"), std::string::npos) << text(failed);

    WatchReport unopened;
    unopened.streams = {WatchedStream{}};
    EXPECT_FALSE(unopened.succeeded());
}

TEST(WatchReport, JsonCarriesTheTotalsTheErrorsAndEachStream) {
    WatchReport report;
    report.url = "http://h:1/changes";
    report.streams = {stream(3, 1, 2, 300), WatchedStream{}};
    report.streams[1].error = "cannot open \"x\"";
    report.elapsed = std::chrono::milliseconds(1500);
    EXPECT_EQ(report.toJson(),
              "{\"url\":\"http://h:1/changes\",\"streams\":2,\"opened\":1,\"closed\":0,"
              "\"events\":{\"rocket\":3,\"resync\":1},\"heartbeats\":2,\"bytes\":300,"
              "\"errors\":[\"stream 2: cannot open \\\"x\\\"\"],\"seconds\":1.500,"
              "\"perStream\":[{\"events\":{\"rocket\":3,\"resync\":1},\"heartbeats\":2,\"bytes\":300,\"opened\":true,"
              "\"closed\":false},{\"events\":{\"rocket\":0,\"resync\":0},\"heartbeats\":0,\"bytes\":0,"
              "\"opened\":false,\"closed\":false}]}");
}
