// Several rockets-server processes sharing one Redis (docs/multi-instance.md):
// every channel's messages spread over all instances with duplicates and
// reordering, one instance killed mid-stream, and Redis itself stopped
// mid-stream. The final state must be exact on every live instance. And every
// instance sees every change: a GET /changes stream on one instance carries the
// changes applied by all of them, each once.
#include "ChildProcess.h"
#include "HttpClient.h"
#include "Messages.h"
#include "RedisServer.h"
#include "ServerProcess.h"
#include "SseClient.h"
#include "TempDir.h"
#include "WaitUntil.h"

#include "rockets/Codec.h"
#include "rockets/Fold.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

namespace rockets::test {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// One request on a new connection; status 0 when the instance does not answer
/// (killed, or stuck on a stopped Redis beyond the client's patience).
HttpResult request(int port, const std::string& method, const std::string& path, const std::string& body = {}) {
    return HttpClient(port, 5s).trySend(method, path, body);
}

/// A deterministic stream: `channels` rockets of `perChannel` messages each, every
/// type represented, some exploding at their last message; then `duplicateRate`
/// resends of earlier messages (with another messageTime) and shuffling within
/// blocks of `window` messages.
std::vector<Message> makeStream(int channels, int perChannel, double duplicateRate, std::size_t window,
                                std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<Message> ordered;
    for (int n = 1; n <= perChannel; ++n) {
        for (int c = 0; c < channels; ++c) {
            const std::string channel = "e2e-" + std::to_string(c);
            if (n == 1) ordered.push_back(launched(channel, 1, "Falcon-" + std::to_string(c % 3), 500 + c, "ARTEMIS"));
            else if (n == perChannel && c % 4 == 0) ordered.push_back(exploded(channel, n, "reason-" + std::to_string(c)));
            else if (n % 17 == 0) ordered.push_back(missionChanged(channel, n, "MISSION-" + std::to_string(n)));
            else if (n % 3 == 0) ordered.push_back(slowDown(channel, n, n % 50));
            else ordered.push_back(speedUp(channel, n, n % 70));
        }
    }
    std::vector<Message> stream;
    std::bernoulli_distribution duplicate(duplicateRate);
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        stream.push_back(ordered[i]);
        if (i > 0 && duplicate(rng)) {
            Message again = ordered[std::uniform_int_distribution<std::size_t>(0, i)(rng)];
            again.time = "2030-01-01T00:00:00Z";  // a resend: same key and payload, new time
            stream.push_back(again);
        }
    }
    for (std::size_t start = 0; start < stream.size(); start += window) {
        const auto end = std::min(stream.size(), start + window);
        std::shuffle(stream.begin() + static_cast<std::ptrdiff_t>(start), stream.begin() + static_cast<std::ptrdiff_t>(end), rng);
    }
    return stream;
}

std::map<std::string, Rocket> expectedState(const std::vector<Message>& stream) {
    std::map<std::string, std::map<std::int64_t, Message>> byChannel;
    for (const auto& m : stream) byChannel[m.channel].emplace(m.number, m);  // the first copy wins
    std::map<std::string, Rocket> expected;
    for (const auto& [channel, messages] : byChannel) {
        Rocket rocket;
        rocket.channel = channel;
        for (const auto& [number, message] : messages) apply(rocket, message);
        expected.emplace(channel, rocket);
    }
    return expected;
}

/// Every rocket carried by `event: rocket` in `stream` (the text of a GET /changes
/// answer), in arrival order; an undecodable one is an empty rocket.
std::vector<Rocket> rocketsIn(const std::string& stream) {
    std::vector<Rocket> rockets;
    const std::string marker = "event: rocket\ndata: ";
    for (auto at = stream.find(marker); at != std::string::npos; at = stream.find(marker, at + 1)) {
        const auto begin = at + marker.size();
        const auto end = stream.find('\n', begin);
        if (end == std::string::npos) break;  // cut short by the end of the read
        rockets.push_back(decodeRocket(std::string_view(stream).substr(begin, end - begin)).value_or(Rocket{}));
    }
    return rockets;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
    return count;
}

class RedisMultiInstance : public ::testing::Test {
protected:
    void startServers(int count, int redisTimeoutMs = 1000, const std::map<std::string, std::string>& extra = {}) {
        std::map<std::string, std::string> defines = {
            {"rockets.store.events", "redis"},
            {"rockets.store.rockets", "redis"},
            {"rockets.redis.socket", redis_.socketPath()},
            {"rockets.redis.keyPrefix", "e2e:"},
            {"rockets.redis.timeoutMs", std::to_string(redisTimeoutMs)},
            // A short sweep so survivors pick up a killed instance's unapplied work quickly.
            {"rockets.consumer.sweepIntervalMs", "200"},
        };
        for (const auto& [key, value] : extra) defines[key] = value;
        for (int i = 0; i < count; ++i) {
            servers_.push_back(std::make_unique<ServerProcess>(dir_, defines));
            servers_.back()->start();
        }
    }

    std::string urls() const {
        std::string out;
        for (const auto& s : servers_) out += (out.empty() ? "" : ",") + s->baseUrl() + "/messages";
        return out;
    }

    std::string logs() const {
        std::string out;
        for (const auto& s : servers_) out += "--- server " + std::to_string(s->port()) + ":\n" + s->log();
        return out + "--- redis:\n" + redis_.log();
    }

    /// Polls every channel of `expected` on the server at `port` until all match
    /// (the consumer applies asynchronously) or `timeout` passes; the mismatches.
    static std::vector<std::string> awaitState(int port, const std::map<std::string, Rocket>& expected,
                                               std::chrono::milliseconds timeout) {
        std::vector<std::string> problems;
        waitUntil(timeout, [&] {
            problems.clear();
            for (const auto& [channel, want] : expected) {
                const auto answer = request(port, "GET", "/rockets/" + channel);
                auto got = answer.status == 200 ? decodeRocket(answer.body) : std::nullopt;
                if (!got || !(*got == want)) {
                    problems.push_back(channel + ": HTTP " + std::to_string(answer.status) + " " + answer.body +
                                       " expected " + encodeRocket(want));
                }
            }
            if (problems.empty()) {
                const auto list = request(port, "GET", "/rockets?limit=10000");
                auto listed = list.status == 200 ? decodeRockets(list.body) : std::nullopt;
                std::vector<Rocket> want;
                for (const auto& [channel, rocket] : expected) want.push_back(rocket);
                if (!listed || *listed != want) problems.push_back("GET /rockets differs: " + list.body);
            }
            return problems.empty();
        }, 50ms);
        return problems;
    }

    /// How many connections are subscribed to the instances' change feed (db 0).
    int feedSubscribers() const {
        const std::string reply = redis_.command({"PUBSUB", "NUMSUB", "e2e:feed:0"});
        return std::stoi(reply.substr(reply.rfind('\n') + 1));
    }

    TempDir dir_;
    RedisServer redis_;
    std::vector<std::unique_ptr<ServerProcess>> servers_;
};

}  // namespace

TEST_F(RedisMultiInstance, ThreeInstancesWithDuplicatesAndReorderingAgreeExactly) {
    startServers(3);
    const auto run = runCommand({binaryPath("rockets-sim"), "launch", urls(), "--verify", "--duplicate-rate=0.05",
                                 "--reorder-window=200", "--max-messages=8000", "--concurrency-level=6",
                                 "--progress=none", "--verify-timeout=30s"},
                                dir_.file("sim-three.log"), 3min);
    ASSERT_EQ(run.exitCode, 0) << run.output << logs();
    EXPECT_NE(run.output.find("\nPASS\n"), std::string::npos) << run.output;
    // --verify checked each URL: one verify line per instance, all matching.
    std::size_t verified = 0;
    for (auto at = run.output.find("  verify "); at != std::string::npos; at = run.output.find("  verify ", at + 1)) ++verified;
    EXPECT_EQ(verified, 3u) << run.output;
}

TEST_F(RedisMultiInstance, OneInstanceKilledMidStreamTheOthersFinishExactly) {
    startServers(3);
    const auto stream = makeStream(12, 250, 0.05, 100, 2026);
    const auto expected = expectedState(stream);

    // Clients round-robin each message over the instances, like a load balancer;
    // a message whose instance is dead goes to the next one (proxy_next_upstream).
    constexpr int kClients = 6;
    std::atomic<std::size_t> cursor{0};
    std::atomic<int> accepted{0}, duplicates{0}, redirected{0}, failures{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&] {
            for (std::size_t i = cursor++; i < stream.size(); i = cursor++) {
                const std::string body = encodeMessage(stream[i]);
                const auto deadline = Clock::now() + 60s;
                for (std::size_t target = i % servers_.size();; target = (target + 1) % servers_.size()) {
                    const auto answer = request(servers_[target]->port(), "POST", "/messages", body);
                    if (answer.status == 202) { ++accepted; break; }
                    if (answer.status == 200) { ++duplicates; break; }
                    ++redirected;
                    if (Clock::now() > deadline) { ++failures; break; }
                    if (answer.status != 0) std::this_thread::sleep_for(20ms);  // 503: back off a little
                }
            }
        });
    }
    // Kill instance 0 once about a third of the stream is out.
    EXPECT_TRUE(waitUntil(3min, [&] { return cursor.load() >= stream.size() / 3; }, 5ms));
    servers_[0]->kill9();
    for (auto& t : clients) t.join();

    EXPECT_EQ(failures.load(), 0);
    EXPECT_GT(redirected.load(), 0) << "nothing was sent to the killed instance after the kill";
    EXPECT_EQ(static_cast<std::size_t>(accepted + duplicates), stream.size()) << "every send acknowledged";
    EXPECT_LE(accepted.load(), 12 * 250) << "at most one 202 per distinct key";
    for (std::size_t s = 1; s < servers_.size(); ++s) {
        const auto problems = awaitState(servers_[s]->port(), expected, 30s);
        EXPECT_TRUE(problems.empty()) << "instance " << s << ": " << problems.size() << " mismatches, first: "
                                      << (problems.empty() ? "" : problems.front()) << "\n" << logs();
    }
}

TEST_F(RedisMultiInstance, RedisStoppedMidStreamAnswers503ThenTheStreamCompletes) {
    startServers(3, 500);
    ChildProcess sim({binaryPath("rockets-sim"), "launch", urls(), "--verify", "--duplicate-rate=0.02",
                      "--reorder-window=100", "--max-messages=6000", "--concurrency-level=6", "--progress=none",
                      "--retry-for=90s", "--verify-timeout=30s"},
                     dir_.file("sim-fault.log"));

    // Mid-stream: once Redis holds a good part of the stream.
    const auto storedCount = [&] {
        try {
            std::int64_t sum = 0;
            std::istringstream values(redis_.command({"HVALS", "e2e:heads"}));
            for (std::string line; std::getline(values, line);) sum += std::stoll(line);
            return sum;
        } catch (const Poco::Exception&) {
            return std::int64_t{-1};
        }
    };
    waitUntil(60s, [&] { return storedCount() >= 1500 || !sim.running(); }, 5ms);
    ASSERT_TRUE(sim.running()) << "the stream ended before Redis could be stopped:\n" << sim.log();
    redis_.stop();

    // The instances answer 503 (not hang, not 4xx) while Redis is away.
    const auto sawUnavailable = [&] {
        for (const auto& s : servers_) {
            const auto metrics = request(s->port(), "GET", "/metrics");
            std::smatch m;
            if (std::regex_search(metrics.body, m, std::regex(R"(rockets_messages_total\{outcome="unavailable"\} (\d+))")) &&
                std::stoll(m[1]) > 0) {
                return true;
            }
        }
        return false;
    };
    EXPECT_TRUE(waitUntil(30s, sawUnavailable, 20ms)) << logs();
    const auto health = request(servers_[0]->port(), "GET", "/healthz");
    EXPECT_EQ(health.status, 503) << health.body;

    redis_.start();
    const auto exit = sim.wait(3min);
    ASSERT_TRUE(exit.has_value()) << "rockets-sim did not finish:\n" << sim.log();
    const std::string output = sim.log();
    EXPECT_EQ(*exit, 0) << output << logs();
    EXPECT_NE(output.find("\nPASS\n"), std::string::npos) << output;
    std::smatch unavailable;
    ASSERT_TRUE(std::regex_search(output, unavailable, std::regex(R"(503: (\d+))"))) << output;
    EXPECT_GT(std::stoll(unavailable[1]), 0);
}

TEST_F(RedisMultiInstance, AStreamOnOneInstanceCarriesEachChangeAppliedByTheOthers) {
    startServers(3);
    HttpClient a(servers_[0]->port()), b(servers_[1]->port()), c(servers_[2]->port());
    SseClient stream(servers_[0]->port(), "/changes");
    ASSERT_TRUE(stream.waitFor("retry: 2000\n\n")) << stream.received() << logs();

    // One message at a time, only to B and C: A's stream gets each change as the rocket
    // that GET /rockets/{channel} answers once it has been applied.
    std::map<std::string, Rocket> state;
    std::vector<Message> sequence;
    for (int k = 0; k < 3; ++k) {
        const std::string channel = "feed-" + std::to_string(k);
        sequence.push_back(launched(channel, 1, "Falcon-" + std::to_string(k), 100 * k));
        sequence.push_back(speedUp(channel, 2, 50));
        sequence.push_back(missionChanged(channel, 3, "GEMINI"));
        sequence.push_back(k == 1 ? exploded(channel, 4, "PRESSURE") : slowDown(channel, 4, 20));
    }
    for (std::size_t i = 0; i < sequence.size(); ++i) {
        const Message& m = sequence[i];
        HttpClient& target = i % 2 == 0 ? b : c;
        ASSERT_EQ(target.send("POST", "/messages", encodeMessage(m)).status, 202);
        Rocket& rocket = state[m.channel];
        rocket.channel = m.channel;
        apply(rocket, m);
        ASSERT_TRUE(stream.waitFor(rocketEvent(rocket), 20s))
            << m.channel << " #" << m.number << " never reached instance A's stream:\n" << stream.received() << logs();
        EXPECT_EQ(encodeRocket(rocket), a.send("GET", "/rockets/" + m.channel).body);
        EXPECT_EQ(encodeRocket(rocket), b.send("GET", "/rockets/" + m.channel).body);
    }
    EXPECT_EQ(rocketsIn(stream.received()).size(), sequence.size()) << "one event per change:\n" << stream.received();

    // A burst, with duplicates and reordering, B and C each sending half of the channels
    // at once: the stream carries each channel's changes in order, once each, ending with
    // the rocket every instance serves. (One sender per channel keeps the first copy of a
    // resent message the one stored, as expectedState assumes.)
    const std::size_t before = stream.received().size();
    const auto burst = makeStream(8, 60, 0.05, 50, 12);
    const auto expected = expectedState(burst);
    std::map<std::string, std::size_t> senderOf;
    for (const auto& [channel, rocket] : expected) senderOf.emplace(channel, 1 + senderOf.size() % 2);
    std::vector<std::thread> senders;
    std::atomic<int> refused{0};
    for (std::size_t s = 1; s <= 2; ++s) {
        senders.emplace_back([&, s] {
            HttpClient client(servers_[s]->port());
            for (const Message& m : burst) {
                if (senderOf.at(m.channel) != s) continue;
                const int status = client.send("POST", "/messages", encodeMessage(m)).status;
                if (status != 202 && status != 200) ++refused;
            }
        });
    }
    for (auto& sender : senders) sender.join();
    ASSERT_EQ(refused.load(), 0) << logs();
    std::vector<std::string> finals;
    for (const auto& [channel, rocket] : expected) finals.push_back(rocketEvent(rocket));
    ASSERT_TRUE(stream.waitForAll(finals, 30s)) << "not every final state reached A:\n"
                                                << stream.received().substr(before) << logs();
    std::map<std::string, std::int64_t> last;
    for (const Rocket& r : rocketsIn(stream.received().substr(before))) {
        ASSERT_TRUE(expected.contains(r.channel)) << encodeRocket(r);
        EXPECT_GT(r.lastMessageNumber, last[r.channel]) << "out of order or repeated: " << encodeRocket(r);
        last[r.channel] = r.lastMessageNumber;
    }
    for (const auto& [channel, rocket] : expected) {
        EXPECT_EQ(last[channel], rocket.lastMessageNumber) << channel << ": the last event is the final state";
        for (auto* client : {&a, &b, &c}) EXPECT_EQ(client->send("GET", "/rockets/" + channel).body, encodeRocket(rocket));
    }
}

TEST_F(RedisMultiInstance, AChangeAppliedByTheStreamingInstanceItselfArrivesOnce) {
    startServers(2);
    HttpClient a(servers_[0]->port()), b(servers_[1]->port());
    SseClient stream(servers_[0]->port(), "/changes");
    ASSERT_TRUE(stream.waitFor("retry: 2000\n\n")) << stream.received() << logs();

    Rocket rocket;
    rocket.channel = "self";
    apply(rocket, launched("self", 1));
    const std::string first = rocketEvent(rocket);
    ASSERT_EQ(a.send("POST", "/messages", encodeMessage(launched("self", 1))).status, 202);
    ASSERT_TRUE(stream.waitFor(first, 20s)) << stream.received() << logs();
    // A second copy would come before the next change of the channel: from A's consumer
    // (it applies the channel's messages in order) or from the feed (one ordered connection).
    apply(rocket, speedUp("self", 2, 10));
    ASSERT_EQ(a.send("POST", "/messages", encodeMessage(speedUp("self", 2, 10))).status, 202);
    ASSERT_TRUE(stream.waitFor(rocketEvent(rocket), 20s)) << stream.received() << logs();
    apply(rocket, speedUp("self", 3, 10));
    ASSERT_EQ(b.send("POST", "/messages", encodeMessage(speedUp("self", 3, 10))).status, 202);
    ASSERT_TRUE(stream.waitFor(rocketEvent(rocket), 20s)) << stream.received() << logs();

    EXPECT_EQ(occurrences(stream.received(), first), 1u) << stream.received();
    EXPECT_EQ(rocketsIn(stream.received()).size(), 3u) << "each of the three changes once:\n" << stream.received();
}

TEST_F(RedisMultiInstance, AnInstanceListensToTheFeedOnlyWhileItsStreamsNeedIt) {
    startServers(2, 1000, {{"rockets.http.streamFeedLingerMs", "300"}});
    HttpClient a(servers_[0]->port()), b(servers_[1]->port());
    // Neither instance has a stream: neither listens once started.
    ASSERT_TRUE(waitUntil(10s, [&] { return feedSubscribers() == 0; })) << feedSubscribers() << logs();

    Rocket rocket;
    rocket.channel = "lazy";
    apply(rocket, launched("lazy", 1));
    ASSERT_EQ(b.send("POST", "/messages", encodeMessage(launched("lazy", 1))).status, 202);
    std::string lastId;
    {
        SseClient stream(servers_[0]->port(), "/changes?snapshot=true");
        ASSERT_TRUE(stream.waitFor("retry: 2000\n\n")) << stream.received() << logs();
        EXPECT_EQ(feedSubscribers(), 1) << "A subscribes before its stream starts";
        apply(rocket, speedUp("lazy", 2, 10));
        ASSERT_EQ(b.send("POST", "/messages", encodeMessage(speedUp("lazy", 2, 10))).status, 202);
        const std::string event = rocketEvent(rocket);
        ASSERT_TRUE(stream.waitFor(event, 20s)) << stream.received() << logs();
        const std::string& text = stream.received();
        const auto idAt = text.rfind("id: ", text.rfind(event));
        ASSERT_NE(idAt, std::string::npos) << text;
        lastId = text.substr(idAt + 4, text.find('\n', idAt) - idAt - 4);
    }
    // The stream closed: A stops listening once the linger is over, and B applies a
    // change nobody hears.
    ASSERT_TRUE(waitUntil(10s, [&] { return feedSubscribers() == 0; })) << logs();
    apply(rocket, speedUp("lazy", 3, 10));
    ASSERT_EQ(b.send("POST", "/messages", encodeMessage(speedUp("lazy", 3, 10))).status, 202);
    ASSERT_TRUE(awaitState(servers_[0]->port(), {{"lazy", rocket}}, 20s).empty()) << logs();

    // Resuming from before that spell cannot be a replay: A's ring lacks version 3.
    SseClient resumed(servers_[0]->port(), "/changes", "Last-Event-ID: " + lastId + "\r\n");
    ASSERT_TRUE(resumed.waitFor("event: resync\ndata: {\"reason\":\"feed_lost\"}\n\n"))
        << lastId << "\n" << resumed.received() << logs();
    EXPECT_EQ(feedSubscribers(), 1);
    apply(rocket, speedUp("lazy", 4, 10));
    ASSERT_EQ(b.send("POST", "/messages", encodeMessage(speedUp("lazy", 4, 10))).status, 202);
    EXPECT_TRUE(resumed.waitFor(rocketEvent(rocket), 20s)) << resumed.received() << logs();
}

}  // namespace rockets::test
