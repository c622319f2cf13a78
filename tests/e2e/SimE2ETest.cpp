// rockets-sim against the real rockets-server binary: load, chaos and verification,
// and watch reading the server's change streams.
#include "ChildProcess.h"
#include "HttpClient.h"
#include "ServerProcess.h"
#include "SseClient.h"
#include "TempDir.h"
#include "WaitUntil.h"

#include "rockets/RocketCodec.h"

#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

namespace rockets::test {

using namespace std::chrono_literals;

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

    /// `rockets-sim watch <server>/changes` with `args`, writing its report to `<name>.json`.
    std::unique_ptr<ChildProcess> startWatch(std::vector<std::string> args, const std::string& name) const {
        std::vector<std::string> argv = {binaryPath("rockets-sim"), "watch", server_->baseUrl() + "/changes",
                                         "--report=" + dir_.file(name + ".json")};
        argv.insert(argv.end(), args.begin(), args.end());
        return std::make_unique<ChildProcess>(argv, dir_.file(name + ".log"));
    }

    /// The value of the change-stream gauge in GET /metrics; -1 when it is missing.
    int openStreams() const {
        const std::string metrics = httpRequest(server_->port(), "GET", "/metrics").body;
        const std::string name = "\nrockets_http_change_streams_open ";
        const auto at = metrics.find(name);
        return at == std::string::npos ? -1 : std::stoi(metrics.substr(at + name.size()));
    }

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

TEST_F(SimE2E, WatchCountsEveryRocketEventOnEveryStream) {
    const auto watcher = startWatch({"--streams=3"}, "watch");
    ASSERT_TRUE(waitUntil(10s, [&] { return watcher->log().find("rockets-sim watch: 3 streams open\n") != std::string::npos; }))
        << watcher->log();
    EXPECT_EQ(openStreams(), 3);
    // A reference reader of our own, opened after the watcher's; "open" means each
    // stream got the retry: field the server writes when it joins the change feed,
    // so all four get every change from the first.
    SseClient reference(server_->port(), "/changes");
    ASSERT_TRUE(reference.waitFor("retry: 2000\n\n")) << reference.received();

    const auto run = sim({"--max-messages=200", "--rockets=5", "--concurrency-level=4", "--verify"}, "watched");
    ASSERT_EQ(run.exitCode, 0) << failure(run);
    // Once the reference has every rocket's final state, the server has written every
    // change to every stream (one writer thread takes them for all streams at once).
    const auto rockets = decodeRockets(httpRequest(server_->port(), "GET", "/rockets").body);
    ASSERT_TRUE(rockets.has_value());
    ASSERT_EQ(rockets->size(), 5u);
    std::vector<std::string> finalEvents;
    for (const Rocket& rocket : *rockets) finalEvents.push_back(rocketEvent(rocket));
    ASSERT_TRUE(reference.waitForAll(finalEvents, 30s)) << reference.received();
    // Stopping the server closes the streams after what it wrote: the watcher reads it
    // all, then ends by itself.
    ASSERT_EQ(server_->stop(), 0);
    ASSERT_EQ(watcher->wait(10s), std::optional<int>(0)) << watcher->log();

    // The server sends one event per projection write, which may fold several of the
    // 200 messages, and of several of one rocket in one flush only the newest: the
    // exact count is what the reference reader got (every stream joined before the
    // first change, so all take the same changes in the same flushes). The last id is
    // the server's count of changes, coalesced ones included.
    const std::string& seen = reference.received();
    std::int64_t perStream = 0;
    for (auto at = seen.find("event: rocket\n"); at != std::string::npos; at = seen.find("event: rocket\n", at + 1))
        ++perStream;
    const auto lastId = seen.rfind("\nid: ");
    ASSERT_NE(lastId, std::string::npos) << seen;
    const auto dash = seen.find('-', lastId);
    EXPECT_GE(std::stoll(seen.substr(dash + 1, seen.find('\n', dash) - dash - 1)), perStream) << seen;
    EXPECT_GE(perStream, 5);
    EXPECT_LE(perStream, 200);

    const auto r = report("watch");
    EXPECT_EQ(number(r, "streams"), 3);
    EXPECT_EQ(number(r, "opened"), 3);
    EXPECT_EQ(number(r, "closed"), 3);
    EXPECT_EQ(r->getArray("errors")->size(), 0u);
    const auto events = r->getObject("events");
    EXPECT_EQ(number(events, "rocket"), 3 * perStream);
    EXPECT_EQ(number(events, "resync"), 0);
    const auto streams = r->getArray("perStream");
    ASSERT_EQ(streams->size(), 3u);
    for (std::size_t i = 0; i < streams->size(); ++i)
        EXPECT_EQ(number(streams->getObject(i)->getObject("events"), "rocket"), perStream) << "stream " << i + 1;
    EXPECT_NE(watcher->log().find("rockets-sim watch: 3 streams, " + std::to_string(3 * perStream) + " events (rocket " +
                                  std::to_string(3 * perStream) + ", resync 0)"),
              std::string::npos)
        << watcher->log();
}

TEST_F(SimE2E, WatchEndsOnSigtermWithItsReport) {
    const auto watcher = startWatch({"--streams=2"}, "sigterm");
    ASSERT_TRUE(waitUntil(10s, [&] { return watcher->log().find("2 streams open\n") != std::string::npos; }))
        << watcher->log();
    watcher->signal(SIGTERM);
    ASSERT_EQ(watcher->wait(10s), std::optional<int>(0)) << watcher->log();
    EXPECT_NE(watcher->log().find("rockets-sim watch: 2 streams, 0 events (rocket 0, resync 0)"), std::string::npos)
        << watcher->log();
    const auto r = report("sigterm");
    EXPECT_EQ(number(r, "streams"), 2);
    EXPECT_EQ(number(r, "opened"), 2);
    EXPECT_EQ(number(r, "closed"), 0);
    EXPECT_EQ(r->getArray("errors")->size(), 0u);
    // The server notices the readers left.
    EXPECT_TRUE(waitUntil(10s, [&] { return openStreams() == 0; })) << openStreams();
}

TEST_F(SimE2E, WatchOfAPathThatIsNoStreamExitsOneAndSaysWhy) {
    const auto run = runCommand({binaryPath("rockets-sim"), "watch", server_->baseUrl() + "/nope",
                                 "--report=" + dir_.file("nope.json")},
                                dir_.file("nope.log"), 30s);
    EXPECT_EQ(run.exitCode, 1) << run.output;
    EXPECT_NE(run.output.find("rockets-sim watch: stream 1: GET /nope answered 404 Not Found, not 200"),
              std::string::npos)
        << run.output;
    EXPECT_EQ(run.output.find("streams open"), std::string::npos) << run.output;
    const auto errors = report("nope")->getArray("errors");
    ASSERT_EQ(errors->size(), 1u);
    EXPECT_EQ(errors->getElement<std::string>(0), "stream 1: GET /nope answered 404 Not Found, not 200");
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
                             "--channels-from", "--dump", "--verify", "--verify-timeout", "--report",
                             "rockets-sim watch URL", "--streams", "--seconds"})
        EXPECT_NE(help.output.find(flag), std::string::npos) << flag;

    const auto badWatch = runCommand({binaryPath("rockets-sim"), "watch", "http://127.0.0.1:1/changes", "--streams=0"},
                                     dir.file("bad-watch.log"), std::chrono::seconds(10));
    EXPECT_EQ(badWatch.exitCode, 2);
    EXPECT_NE(badWatch.output.find("invalid value '0' for --streams"), std::string::npos) << badWatch.output;
}

}  // namespace rockets::test
