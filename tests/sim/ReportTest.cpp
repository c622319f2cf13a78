#include "rockets/sim/Report.h"

#include <gtest/gtest.h>

#include <sstream>

using rockets::sim::Report;

TEST(Report, PrintsNoLatencyWhenNothingWasAcknowledged) {
    Report report;
    report.send.planned = 5;
    report.send.failed = 1;
    report.send.unsent = 4;
    std::ostringstream text;
    report.writeText(text);
    EXPECT_NE(text.str().find("ack latency  none: nothing was acknowledged"), std::string::npos) << text.str();
    EXPECT_EQ(text.str().find("p50"), std::string::npos) << text.str();
    EXPECT_NE(report.toJson().find("\"latencyMs\":null"), std::string::npos) << report.toJson();
}

TEST(Report, PrintsLatencyPercentilesOfAcknowledgedSends) {
    Report report;
    report.send.planned = report.send.acked = 1;
    report.send.latency.p50 = report.send.latency.p90 = report.send.latency.p99 = report.send.latency.max =
        std::chrono::milliseconds(3);
    std::ostringstream text;
    report.writeText(text);
    EXPECT_NE(text.str().find("ack latency  p50 3"), std::string::npos) << text.str();
    EXPECT_NE(report.toJson().find("\"latencyMs\":{\"p50\":3"), std::string::npos) << report.toJson();
}
