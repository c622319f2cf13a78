#include "rockets/sim/UsageError.h"
#include "rockets/sim/WatchOptionParser.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using rockets::sim::UsageError;
using rockets::sim::WatchOptionParser;

TEST(WatchOptionParser, DefaultsToOneStreamUntilStopped) {
    const auto options = WatchOptionParser::parse({"http://127.0.0.1:8088/changes"});
    EXPECT_EQ(options.streams, 1u);
    EXPECT_FALSE(options.duration.has_value());
    EXPECT_EQ(options.report, "");
    EXPECT_EQ(options.url, "http://127.0.0.1:8088/changes");
    EXPECT_EQ(options.host, "127.0.0.1");
    EXPECT_EQ(options.port, 8088);
    EXPECT_EQ(options.path, "/changes");
}

TEST(WatchOptionParser, ParsesEveryFlagAndKeepsTheQuery) {
    const auto options = WatchOptionParser::parse(
        {"--streams", "20", "http://h:9/api/changes?status=ACTIVE&snapshot=true", "--seconds=90", "--report=w.json"});
    EXPECT_EQ(options.streams, 20u);
    EXPECT_EQ(options.duration, 90s);
    EXPECT_EQ(options.report, "w.json");
    EXPECT_EQ(options.host, "h");
    EXPECT_EQ(options.port, 9);
    EXPECT_EQ(options.path, "/api/changes?status=ACTIVE&snapshot=true");
}

TEST(WatchOptionParser, RejectsBadCommandLinesWithAClearMessage) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{}, "missing URL, e.g. rockets-sim watch"},
        {{"http://h/changes", "--streams=0"}, "must be between 1 and 1000"},
        {{"http://h/changes", "--streams=1001"}, "must be between 1 and 1000"},
        {{"http://h/changes", "--seconds=1.5"}, "invalid value '1.5' for --seconds: expected a whole number"},
        {{"http://h/changes", "--seconds=0"}, "invalid value '0' for --seconds"},
        {{"http://h/changes", "--max-messages=5"}, "unknown flag '--max-messages=5' (see rockets-sim watch --help)"},
        {{"http://h/changes", "--report"}, "flag --report needs a value"},
        {{"http://h/changes", "http://g/changes"}, "unexpected argument 'http://g/changes'"},
        {{"https://h/changes"}, "only http:// is supported"},
    };
    for (const auto& [args, message] : cases) {
        try {
            WatchOptionParser::parse(args);
            ADD_FAILURE() << "accepted: " << message;
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
    }
}

TEST(WatchOptionParser, HelpDocumentsEveryFlag) {
    const std::string help = WatchOptionParser::help();
    for (const char* text : {"Usage: rockets-sim watch URL", "--streams=N", "--seconds=S", "--report=FILE", "--help",
                             "streams open", "Exit status"})
        EXPECT_NE(help.find(text), std::string::npos) << text;
    EXPECT_TRUE(WatchOptionParser::parse({"--help"}).help);
    EXPECT_TRUE(WatchOptionParser::parse({"-h"}).help);
}
