// rockets-sim against the real rockets-server binary: load, chaos and verification.
#include "ChildProcess.h"
#include "ServerProcess.h"
#include "TempDir.h"

#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <sstream>

namespace rockets::test {

namespace {

const std::map<std::string, std::string> kMemory = {{"rockets.store.events", "memory"},
                                                    {"rockets.store.rockets", "memory"}};

class SimE2E : public ::testing::Test {
protected:
    void SetUp() override {
        server_ = std::make_unique<ServerProcess>(dir_, kMemory);
        server_->start();
    }

    std::string url() const { return server_->baseUrl() + "/messages"; }

    /// Runs rockets-sim with `args` (after `launch URL`), writing its JSON report.
    RunResult sim(std::vector<std::string> args, const std::string& name) {
        std::vector<std::string> argv = {binaryPath("rockets-sim"), "launch", url(), "--progress=lines",
                                         "--report=" + dir_.file(name + ".json")};
        argv.insert(argv.end(), args.begin(), args.end());
        return runCommand(argv, dir_.file(name + ".log"), std::chrono::minutes(5));
    }

    /// The --report of run `name`, parsed.
    Poco::JSON::Object::Ptr report(const std::string& name) const {
        Poco::FileInputStream in(dir_.file(name + ".json"));
        std::string text;
        Poco::StreamCopier::copyToString(in, text);
        try {
            return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
        } catch (const Poco::Exception& e) {
            ADD_FAILURE() << e.displayText() << "\n" << text;
            return new Poco::JSON::Object;
        }
    }

    static std::int64_t number(const Poco::JSON::Object::Ptr& object, const char* key) {
        return object->has(key) && object->get(key).isInteger() ? object->getValue<std::int64_t>(key) : -1;
    }

    static std::string text(const Poco::JSON::Object::Ptr& object, const char* key) {
        return object->has(key) && object->get(key).isString() ? object->getValue<std::string>(key)
                                                                : "<missing " + std::string(key) + ">";
    }

    std::string failure(const RunResult& run) const { return run.output + "\nserver log:\n" + server_->log(); }

    TempDir dir_;
    std::unique_ptr<ServerProcess> server_;
};

}  // namespace

TEST_F(SimE2E, TwentyThousandMessagesWithDuplicatesAndReorderingVerify) {
    const auto run = sim({"--max-messages=20000", "--duplicate-rate=0.05", "--reorder-window=100",
                          "--concurrency-level=8", "--verify"},
                         "chaos");
    ASSERT_EQ(run.exitCode, 0) << failure(run);
    EXPECT_NE(run.output.find("\nPASS\n"), std::string::npos) << run.output;

    const auto r = report("chaos");
    EXPECT_EQ(text(r, "result"), "PASS");
    EXPECT_EQ(number(r, "messages"), 20000);
    const std::int64_t duplicates = number(r, "injectedDuplicates");
    EXPECT_GT(duplicates, 500);
    EXPECT_EQ(number(r, "sent"), 20000 + duplicates);
    // Every injected copy reached the server as a duplicate of a stored message.
    EXPECT_EQ(number(r, "serverDuplicates"), duplicates);
    EXPECT_EQ(number(r, "serverConflicts"), 0);
    EXPECT_EQ(number(r, "failed"), 0);
}

TEST_F(SimE2E, ExplodeMidwayMessagesAreIgnoredAfterTheExplosion) {
    const auto run = sim({"--max-messages=20000", "--seed=4242", "--explode-midway", "--duplicate-rate=0.02",
                          "--reorder-window=30", "--keep-alive", "--concurrency-level=8", "--verify"},
                         "midway");
    ASSERT_EQ(run.exitCode, 0) << failure(run);
    EXPECT_NE(run.output.find("\nPASS\n"), std::string::npos) << run.output;
    EXPECT_EQ(text(report("midway"), "result"), "PASS");
}

TEST_F(SimE2E, SameSeedTwiceIsAllDuplicatesAndStillVerifies) {
    const std::vector<std::string> args = {"--max-messages=20000", "--seed=31", "--keep-alive",
                                           "--concurrency-level=8", "--verify"};
    const auto first = sim(args, "first");
    ASSERT_EQ(first.exitCode, 0) << failure(first);
    const auto second = sim(args, "second");
    ASSERT_EQ(second.exitCode, 0) << failure(second);
    EXPECT_NE(second.output.find("\nPASS\n"), std::string::npos) << second.output;

    const auto r = report("second");
    EXPECT_EQ(number(r, "serverDuplicates"), 20000);
    const Poco::JSON::Object::Ptr codes = r->getObject("statusCodes");
    ASSERT_FALSE(codes.isNull());
    ASSERT_EQ(codes->size(), 1u) << "only 200 duplicate answers expected";
    EXPECT_EQ(codes->getNames().front(), "200");
}

TEST_F(SimE2E, ForeignRocketsFailVerificationUnlessAllowed) {
    ASSERT_EQ(sim({"--max-messages=500", "--seed=1"}, "other").exitCode, 0);
    const auto strict = sim({"--max-messages=500", "--seed=2", "--verify", "--verify-timeout=5s"}, "strict");
    EXPECT_EQ(strict.exitCode, 1) << strict.output;
    EXPECT_NE(strict.output.find("not sent by this run"), std::string::npos) << strict.output;
    EXPECT_NE(strict.output.find("\nFAIL\n"), std::string::npos) << strict.output;

    const auto lenient =
        sim({"--max-messages=500", "--seed=2", "--verify", "--allow-other-rockets"}, "lenient");
    EXPECT_EQ(lenient.exitCode, 0) << failure(lenient);
}

TEST_F(SimE2E, DumpedStreamReplaysOnAFreshServer) {
    const std::string stream = dir_.file("stream.ndjson");
    const auto dumped = sim({"--max-messages=3000", "--seed=77", "--duplicate-rate=0.1", "--dump=" + stream, "--verify"},
                            "dump");
    ASSERT_EQ(dumped.exitCode, 0) << failure(dumped);

    server_->stop();
    server_ = std::make_unique<ServerProcess>(dir_, kMemory);
    server_->start();
    const auto replayed = sim({"--channels-from=" + stream, "--verify"}, "replay");
    ASSERT_EQ(replayed.exitCode, 0) << failure(replayed);
    const auto r = report("replay");
    EXPECT_EQ(number(r, "sent"), number(report("dump"), "sent"));
    EXPECT_EQ(number(r, "serverDuplicates"), number(report("dump"), "injectedDuplicates"));
}

TEST(SimCommandLine, BadFlagsExitWithTwoAndHelpListsEveryFlag) {
    TempDir dir;
    const auto bad = runCommand({binaryPath("rockets-sim"), "launch", "http://127.0.0.1:1/messages", "--concurrency-level=x"},
                                dir.file("bad.log"), std::chrono::seconds(10));
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.output.find("invalid value 'x' for --concurrency-level"), std::string::npos) << bad.output;

    const auto help = runCommand({binaryPath("rockets-sim"), "help"}, dir.file("help.log"), std::chrono::seconds(10));
    EXPECT_EQ(help.exitCode, 0);
    for (const char* flag : {"--message-delay", "--concurrency-level", "--max-messages", "--seed", "--rockets",
                             "--keep-alive", "--retry-for", "--duplicate-rate", "--reorder-window", "--explode-midway",
                             "--channels-from", "--dump", "--verify", "--verify-timeout", "--report"})
        EXPECT_NE(help.output.find(flag), std::string::npos) << flag;
}

}  // namespace rockets::test
