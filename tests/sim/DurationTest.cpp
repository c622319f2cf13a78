#include "rockets/sim/Duration.h"

#include <gtest/gtest.h>

#include <vector>

using namespace std::chrono_literals;
using rockets::sim::formatDuration;
using rockets::sim::parseDuration;

TEST(Duration, ParsesGoSyntax) {
    EXPECT_EQ(parseDuration("0"), 0ns);
    EXPECT_EQ(parseDuration("0s"), 0ns);
    EXPECT_EQ(parseDuration("500ms"), 500ms);
    EXPECT_EQ(parseDuration("1s"), 1s);
    EXPECT_EQ(parseDuration("1m30s"), 90s);
    EXPECT_EQ(parseDuration("1h2m3.5s"), 1h + 2min + 3500ms);
    EXPECT_EQ(parseDuration("1.5h"), 90min);
    EXPECT_EQ(parseDuration(".5s"), 500ms);
    EXPECT_EQ(parseDuration("1.s"), 1s);
    EXPECT_EQ(parseDuration("+2s"), 2s);
    EXPECT_EQ(parseDuration("250us"), 250us);
    EXPECT_EQ(parseDuration("250\xC2\xB5s"), 250us);
    EXPECT_EQ(parseDuration("250\xCE\xBCs"), 250us);
    EXPECT_EQ(parseDuration("10ns"), 10ns);
    EXPECT_EQ(parseDuration("1.000000001s"), 1s + 1ns);
    EXPECT_EQ(parseDuration("1.0000000019s"), 1s + 1ns);  // below a nanosecond is dropped
    EXPECT_EQ(parseDuration("1h1h"), 2h);
}

TEST(Duration, RejectsInvalidText) {
    for (const char* text : {"", "5", "s", "5x", "1s5", "ms", ".s", "1e3s", "1 s", " 1s", "1s ", "-1s", "--1s",
                             "1..5s", "9999999999h", "99999999999999999999ns"})
        EXPECT_FALSE(parseDuration(text).has_value()) << "'" << text << "'";
}

TEST(Duration, FormatsLikeGo) {
    EXPECT_EQ(formatDuration(0ns), "0s");
    EXPECT_EQ(formatDuration(500ms), "500ms");
    EXPECT_EQ(formatDuration(90s), "1m30s");
    EXPECT_EQ(formatDuration(1h + 2min + 3500ms), "1h2m3.5s");
    EXPECT_EQ(formatDuration(1500us), "1.5ms");
    EXPECT_EQ(formatDuration(10ns), "10ns");
}

TEST(Duration, FormattedDurationsParseBack) {
    for (std::chrono::nanoseconds d : std::vector<std::chrono::nanoseconds>{1ns, 999ns, 1500ns, 2ms, 1s + 1ns, 61s, 3h + 1ms})
        EXPECT_EQ(parseDuration(formatDuration(d)), std::chrono::nanoseconds(d)) << formatDuration(d);
}
