// Issue 9, point 3: messages that can never apply are bounded and cost nothing while
// nothing changes. The real server on each durable-or-not backend, driven over HTTP.
#include "Backends.h"
#include "HttpClient.h"
#include "Messages.h"
#include "ServerProcess.h"
#include "TempDir.h"
#include "WaitUntil.h"

#include "rockets/Codec.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace rockets::test {

namespace {

using namespace std::chrono_literals;

/// CPU seconds (user + system) the process has used so far.
double cpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may contain spaces) start after the last ')'.
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) fields >> skip;  // state .. cstime-2: up to field 13
    long long utime = 0, stime = 0;
    fields >> utime >> stime;
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// A sample value from /metrics (the first line starting with `name`), or -1.
double metric(int port, const std::string& name) {
    const HttpResult r = httpRequest(port, "GET", "/metrics");
    std::istringstream lines(r.body);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    }
    return -1;
}

/// POSTs message 5 (never launched: it can never apply) of `channels` channels from
/// several keep-alive connections; returns how many were accepted.
int postStranded(int port, int channels) {
    constexpr int kThreads = 4;
    std::atomic<int> accepted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            HttpClient client(port, 30s);
            for (int c = t; c < channels; c += kThreads) {
                const HttpResult r = client.send("POST", "/messages", encodeMessage(speedUp("stranded-" + std::to_string(c), 5, 1)));
                if (r.status == 202) ++accepted;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    return accepted.load();
}

class Backlog : public ::testing::TestWithParam<std::string> {
protected:
    std::map<std::string, std::string> defines(std::map<std::string, std::string> extra = {}) {
        std::map<std::string, std::string> result = backendDefines(GetParam(), dir_);
        result["logging.loggers.root.level"] = "warning";
        for (auto& [key, value] : extra) result[key] = value;
        return result;
    }

    TempDir dir_;
};

}  // namespace

TEST_P(Backlog, HundredThousandStrandedChannelsCostAnIdleServerAlmostNothing) {
    ServerProcess server(dir_, defines());
    server.start();
    constexpr int kChannels = 100000;
    ASSERT_EQ(postStranded(server.port(), kChannels), kChannels);
    // Every channel has been looked at once (or is being): the gauge counts them all.
    ASSERT_TRUE(waitUntil(120s, [&] { return metric(server.port(), "rockets_unapplied_messages") == kChannels; }));
    std::this_thread::sleep_for(3s);  // let the consumer finish its first look at each channel

    // Several sweeps (one a second) over a quiet server: nothing changed, nothing to do.
    const pid_t pid = server.pid();
    const double before = cpuSeconds(pid);
    const auto started = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(5s);
    const double used = cpuSeconds(pid) - before;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_LT(used / elapsed, 0.05) << used << " CPU seconds in " << elapsed << " s";
    EXPECT_GE(metric(server.port(), "rockets_consumer_sweeps_total"), 4);

    // The sweep still finds what changes: a launch sent to one channel makes it apply.
    ASSERT_EQ(httpRequest(server.port(), "POST", "/messages", encodeMessage(launched("stranded-7", 1))).status, 202);
    for (int n = 2; n <= 4; ++n) {
        ASSERT_EQ(httpRequest(server.port(), "POST", "/messages", encodeMessage(speedUp("stranded-7", n, 1))).status, 202);
    }
    ASSERT_TRUE(waitUntil(30s, [&] {
        return httpRequest(server.port(), "GET", "/rockets/stranded-7").body.find("\"lastMessageNumber\":5") !=
               std::string::npos;
    }));
    // The gauge follows once the consumer has recorded the apply.
    EXPECT_TRUE(waitUntil(10s, [&] { return metric(server.port(), "rockets_unapplied_messages") == kChannels - 1; }))
        << metric(server.port(), "rockets_unapplied_messages");
}

TEST_P(Backlog, BeyondTheLimitsMessagesGet503AndAreNotStored) {
    ServerProcess server(dir_, defines({{"rockets.limits.maxUnappliedPerChannel", "3"},
                                        {"rockets.limits.maxUnappliedTotal", "5"}}));
    server.start();
    HttpClient client(server.port());
    // While an append races with the consumer's read of its channel, the count the
    // limits use may be one too high (never too low) until the consumer's next look:
    // a message within the limits may get a 503 that a retry, as the test program
    // makes, gets past. Once the count has settled, the limits hold exactly.
    const auto accepted = [&](const Message& message) {
        return waitUntil(10s, [&] { return client.send("POST", "/messages", encodeMessage(message)).status == 202; });
    };
    for (int n : {3, 4, 5}) ASSERT_TRUE(accepted(speedUp("full", n, 1))) << n;
    const auto settlesAt = [&](std::int64_t count) {
        return waitUntil(10s, [&] { return metric(server.port(), "rockets_unapplied_messages") == count; });
    };
    ASSERT_TRUE(settlesAt(3));
    const HttpResult refused = client.send("POST", "/messages", encodeMessage(speedUp("full", 6, 1)));
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.header("Retry-After"), "1");
    EXPECT_NE(refused.body.find("maxUnappliedPerChannel"), std::string::npos) << refused.body;
    for (int n : {2, 3}) ASSERT_TRUE(accepted(speedUp("other", n, 1))) << n;
    ASSERT_TRUE(settlesAt(5));
    const HttpResult total = client.send("POST", "/messages", encodeMessage(speedUp("third", 2, 1)));
    EXPECT_EQ(total.status, 503);
    EXPECT_NE(total.body.find("maxUnappliedTotal"), std::string::npos) << total.body;
    // What a channel needs next is always taken, so it can always progress.
    EXPECT_EQ(client.send("POST", "/messages", encodeMessage(launched("full", 1))).status, 202);
    EXPECT_EQ(client.send("POST", "/messages", encodeMessage(launched("third", 1))).status, 202);
    EXPECT_GE(metric(server.port(), "rockets_messages_total{outcome=\"over_limit\"}"), 2);

    // Nothing refused was stored: after a restart (durable backends) or now (memory),
    // the history of "full" holds 1, 3, 4, 5 only.
    const HttpResult history = client.send("GET", "/rockets/full/messages");
    ASSERT_EQ(history.status, 200) << history.body;
    EXPECT_EQ(history.body.find("\"messageNumber\":6"), std::string::npos) << history.body;
    EXPECT_EQ(httpRequest(server.port(), "GET", "/rockets/third/messages").body.find("\"messageNumber\":2"),
              std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, Backlog, ::testing::ValuesIn(builtPlugins()));

}  // namespace rockets::test
