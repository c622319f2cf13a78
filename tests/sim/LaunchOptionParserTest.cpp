#include "rockets/sim/LaunchOptionParser.h"
#include "rockets/sim/UsageError.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using rockets::sim::LaunchOptionParser;
using rockets::sim::UsageError;

TEST(LaunchOptionParser, DefaultsAreTheRealProgramOnes) {
    const auto options = LaunchOptionParser::parse({"http://127.0.0.1:8088/messages"});
    EXPECT_EQ(options.sender.concurrency, 3u);
    EXPECT_EQ(options.generator.maxMessages, 100000u);
    EXPECT_EQ(options.generator.seed, 444u);
    EXPECT_EQ(options.generator.rockets, 20u);
    EXPECT_EQ(options.sender.messageDelay, 0ns);
    EXPECT_EQ(options.sender.retryFor, 60s);
    EXPECT_EQ(options.verifier.timeout, 30s);
    EXPECT_FALSE(options.sender.keepAlive);
    EXPECT_FALSE(options.verify);
    ASSERT_EQ(options.targets.size(), 1u);
    EXPECT_EQ(options.targets[0].host, "127.0.0.1");
    EXPECT_EQ(options.targets[0].port, 8088);
    EXPECT_EQ(options.targets[0].messagesPath, "/messages");
    EXPECT_EQ(options.targets[0].apiPrefix, "/");
}

TEST(LaunchOptionParser, ParsesEveryFlag) {
    const auto options = LaunchOptionParser::parse(
        {"--message-delay=1m30s", "--concurrency-level", "8", "http://h:1/api/messages,http://g:2/messages",
         "--max-messages=20000", "--seed", "7", "--rockets=5", "--keep-alive", "--retry-for=2s",
         "--duplicate-rate", "0.25", "--reorder-window=40", "--explode-midway", "--channels-from=in.ndjson",
         "--dump", "out.ndjson", "--verify", "--verify-timeout=5s", "--allow-other-rockets", "--report=r.json",
         "--progress=lines"});
    EXPECT_EQ(options.sender.messageDelay, 90s);
    EXPECT_EQ(options.sender.concurrency, 8u);
    EXPECT_EQ(options.generator.maxMessages, 20000u);
    EXPECT_EQ(options.generator.seed, 7u);
    EXPECT_EQ(options.chaos.seed, 7u);
    EXPECT_EQ(options.generator.rockets, 5u);
    EXPECT_TRUE(options.sender.keepAlive);
    EXPECT_EQ(options.sender.retryFor, 2s);
    EXPECT_DOUBLE_EQ(options.chaos.duplicateRate, 0.25);
    EXPECT_EQ(options.chaos.reorderWindow, 40u);
    EXPECT_TRUE(options.generator.explodeMidway);
    EXPECT_EQ(options.channelsFrom, "in.ndjson");
    EXPECT_EQ(options.dump, "out.ndjson");
    EXPECT_TRUE(options.verify);
    EXPECT_EQ(options.verifier.timeout, 5s);
    EXPECT_TRUE(options.verifier.allowOtherRockets);
    EXPECT_EQ(options.report, "r.json");
    EXPECT_EQ(options.progress, rockets::sim::ProgressMode::Lines);
    ASSERT_EQ(options.targets.size(), 2u);
    EXPECT_EQ(options.targets[0].apiPrefix, "/api/");
    EXPECT_EQ(options.targets[1].origin(), "http://g:2");
}

TEST(LaunchOptionParser, RetryForZeroMeansForever) {
    EXPECT_EQ(LaunchOptionParser::parse({"http://h/messages", "--retry-for=0"}).sender.retryFor.count(), 0);
    EXPECT_NE(LaunchOptionParser::help().find("0: forever"), std::string::npos);
}

TEST(LaunchOptionParser, BooleanFlagsTakeExplicitValues) {
    const auto options = LaunchOptionParser::parse({"http://h/messages", "--verify=false", "--keep-alive=true"});
    EXPECT_FALSE(options.verify);
    EXPECT_TRUE(options.sender.keepAlive);
}

TEST(LaunchOptionParser, RejectsBadCommandLinesWithAClearMessage) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{}, "missing URL"},
        {{"http://h/m", "--bogus"}, "unknown flag '--bogus'"},
        {{"http://h/m", "--seed"}, "flag --seed needs a value"},
        {{"http://h/m", "--message-delay=5"}, "invalid value '5' for --message-delay"},
        {{"http://h/m", "--concurrency-level=0"}, "must be between 1 and 1024"},
        {{"http://h/m", "--max-messages=-1"}, "invalid value '-1' for --max-messages"},
        {{"http://h/m", "--duplicate-rate=1.5"}, "between 0 and 1"},
        {{"http://h/m", "--verify=maybe"}, "expected true or false"},
        {{"http://h/m", "extra"}, "unexpected argument 'extra'"},
        {{"https://h/m"}, "only http:// is supported"},
    };
    for (const auto& [args, message] : cases) {
        try {
            LaunchOptionParser::parse(args);
            ADD_FAILURE() << "accepted: " << message;
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
    }
}

TEST(LaunchOptionParser, HelpDocumentsEveryFlag) {
    const std::string help = LaunchOptionParser::help();
    for (const char* flag : {"--message-delay=DURATION", "--concurrency-level=N", "--max-messages=N", "--seed=N",
                             "--rockets=N", "--keep-alive", "--retry-for=DURATION", "--duplicate-rate=P",
                             "--reorder-window=N", "--explode-midway", "--channels-from=FILE", "--dump=FILE",
                             "--verify ", "--verify-timeout=DURATION", "--allow-other-rockets", "--report=FILE",
                             "--progress=MODE"})
        EXPECT_NE(help.find(flag), std::string::npos) << flag;
    EXPECT_TRUE(LaunchOptionParser::parse({"--help"}).help);
}
