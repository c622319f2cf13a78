// The real rockets-server binary: start-up, options, errors and shutdown.
#include "Backends.h"
#include "ChildProcess.h"
#include "HttpClient.h"
#include "ServerProcess.h"
#include "TempDir.h"
#include "WaitUntil.h"

#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace rockets::test {

namespace {

using namespace std::chrono_literals;

const std::map<std::string, std::string> kMemory = {{"rockets.store.events", "memory"},
                                                    {"rockets.store.rockets", "memory"}};

int status(int port, const std::string& method, const std::string& target, const std::string& body = "") {
    return httpRequest(port, method, target, body).status;
}

const std::string kLaunch =
    R"({"metadata":{"channel":"e2e","messageNumber":1,"messageTime":"2022-02-02T19:39:05.86337+01:00",)"
    R"("messageType":"RocketLaunched"},"message":{"type":"Falcon-9","launchSpeed":500,"mission":"ARTEMIS"}})";

}  // namespace

TEST(Server, HelpDocumentsOptionsAndExitsZero) {
    TempDir dir;
    auto r = runCommand({binaryPath("rockets-server"), "--help"}, dir.file("help.log"), std::chrono::seconds(10));
    EXPECT_EQ(r.exitCode, 0);
    for (const char* text : {"--config", "--define", "--port", "--port-file", "--daemon", "--pidfile", "rockets.http.port",
                             "rockets.store.events", "rockets.consumer.workers"}) {
        EXPECT_NE(r.output.find(text), std::string::npos) << text << "\n" << r.output;
    }
}

TEST(Server, MissingPluginFailsStartUpNamingThePathAndThePluginsFound) {
    TempDir dir;
    auto r = runCommand({binaryPath("rockets-server"), "--port=0", "-D",
                         "rockets.store.events=nosuch", "-D", "rockets.store.rockets=memory", "-D",
                         "rockets.plugins.dir=" + std::string(ROCKETS_PLUGIN_DIR)},
                        dir.file("missing.log"), std::chrono::seconds(20));
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.output.find(std::string(ROCKETS_PLUGIN_DIR) + "/rockets-store-nosuch.so"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("plugins found: "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("memory"), std::string::npos) << r.output;
}

TEST(Server, InvalidConfigValueFailsStartUpNamingTheKey) {
    TempDir dir;
    auto r = runCommand({binaryPath("rockets-server"), "-D", "rockets.http.maxThreads=zero"}, dir.file("bad.log"),
                        std::chrono::seconds(20));
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.output.find("rockets.http.maxThreads"), std::string::npos) << r.output;
}

TEST(Server, DefaultPluginDirectoryIsFoundNextToTheExecutable) {
    TempDir dir;
    // No rockets.plugins.dir: the server must find ../lib/rockets from its own path.
    const std::string portFile = dir.file("default.port");
    ChildProcess child({binaryPath("rockets-server"), "--port=0", "--port-file=" + portFile, "-D",
                        "rockets.store.events=memory", "-D", "rockets.store.rockets=memory"},
                       dir.file("default.log"));
    const int port = awaitPortFile(child, portFile, 60s);
    EXPECT_EQ(status(port, "GET", "/healthz"), 200) << child.log();
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(30s), 0) << child.log();
    EXPECT_FALSE(Poco::File(portFile).exists()) << "the port file is removed on stop";
}

TEST(Server, ServesTheApiAndStopsGracefullyOnSigterm) {
    TempDir dir;
    ServerProcess server(dir, kMemory);
    server.start();
    EXPECT_EQ(status(server.port(), "POST", "/messages", kLaunch), 202);
    EXPECT_EQ(status(server.port(), "POST", "/messages", kLaunch), 200);
    EXPECT_EQ(status(server.port(), "GET", "/rockets"), 200);
    // Exit code 0 after SIGTERM: the signal was handled, not fatal (that is 128+15).
    EXPECT_EQ(server.stop(), 0) << server.log();
}

namespace {

/// The names of a process's threads (/proc/PID/task/TID/comm).
std::set<std::string> threadNames(pid_t pid) {
    std::set<std::string> names;
    std::vector<std::string> tasks;
    Poco::File("/proc/" + std::to_string(pid) + "/task").list(tasks);
    for (const std::string& task : tasks) {
        std::string name;
        std::getline(std::ifstream("/proc/" + std::to_string(pid) + "/task/" + task + "/comm"), name);
        names.insert(name);
    }
    return names;
}

}  // namespace

// top -H, ps -L, perf and gdb show which of the service's threads is busy.
TEST(Server, NamesItsThreadsForTopAndPerf) {
    TempDir dir;
    ServerProcess server(dir, {{"rockets.store.events", "sqlite"},
                               {"rockets.store.rockets", "sqlite"},
                               {"rockets.sqlite.path", dir.file("rockets.db")},
                               {"rockets.consumer.workers", "2"}});
    server.start();
    ASSERT_EQ(status(server.port(), "POST", "/messages", kLaunch), 202);
    const std::set<std::string> expected = {"http-front",     "http-worker", "consumer-0",    "consumer-1",
                                            "consumer-sweep", "stream-hub",  "sqlite-writer", "sqlite-ckpt"};
    std::set<std::string> names;
    const bool named = waitUntil(10s, [&] {
        names = threadNames(server.pid());
        return std::includes(names.begin(), names.end(), expected.begin(), expected.end());
    });
    std::string seen;
    for (const std::string& name : names) seen += name + " ";
    EXPECT_TRUE(named) << "threads: " << seen;
    EXPECT_EQ(server.stop(), 0) << server.log();
}

TEST(Server, SigintAlsoStopsGracefully) {
    TempDir dir;
    ServerProcess server(dir, kMemory);
    server.start();
    EXPECT_EQ(status(server.port(), "POST", "/messages", kLaunch), 202);
    server.signal(SIGINT);
    EXPECT_EQ(server.wait(30s), 0) << server.log();
}

TEST(Server, ConfigFileIsReadAndDefinesOverrideIt) {
    TempDir dir;
    // The file names a port this test holds: were it used instead of --port, the
    // server could not start.
    const Poco::Net::ServerSocket held(Poco::Net::SocketAddress("127.0.0.1", 0));
    {
        std::ofstream config(dir.file("rockets.properties"));
        config << "rockets.http.port = " << held.address().port() << "\n"
               << "rockets.store.events = memory\nrockets.store.rockets = memory\n"
               << "rockets.http.webhookToken = from-file\n";
    }
    ServerProcess server(dir, {{"rockets.http.webhookToken", "from-command-line"}},
                         {"--config=" + dir.file("rockets.properties")});
    server.start();  // --port=0 (set by ServerProcess) wins over the file's port
    EXPECT_NE(server.port(), held.address().port());
    const auto accepted = httpRequest(server.port(), "POST", "/messages", kLaunch,
                                      {{"Authorization", "Bearer from-command-line"}});
    EXPECT_EQ(accepted.status, 202) << accepted.body;
    EXPECT_EQ(status(server.port(), "POST", "/messages", kLaunch), 401) << "the file's token is overridden";
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace rockets::test

namespace rockets::test {

TEST(Server, DaemonResolvesTheSqlitePathAgainstTheConfigFolderNotSlash) {
    TempDir dir;
    {
        std::ofstream config(dir.file("rockets.properties"));
        config << "rockets.http.port = 0\n"
               << "rockets.store.events = sqlite\nrockets.store.rockets = sqlite\n"
               << "rockets.sqlite.path = data/rockets.db\n"
               << "rockets.plugins.dir = " << ROCKETS_PLUGIN_DIR << "\n"
               // The daemon's stdout is /dev/null: its log goes to a file, for failure messages.
               << "logging.loggers.root.channel = file\n"
               << "logging.channels.file.class = FileChannel\n"
               << "logging.channels.file.path = " << dir.file("daemon-server.log") << "\n";
    }
    const std::string pidFile = dir.file("server.pid");
    const std::string portFile = dir.file("server.port");
    const auto daemonLog = [&] {
        std::ostringstream text;
        text << std::ifstream(dir.file("daemon-server.log")).rdbuf();
        return text.str();
    };
    // Whatever fails below, the daemon must not outlive the test.
    struct KillAtExit {
        std::string pidFile;
        ~KillAtExit() {
            pid_t pid = 0;
            if (std::ifstream(pidFile) >> pid && pid > 0) ::kill(pid, SIGKILL);
        }
    } killAtExit{pidFile};
    // --daemon forks and the parent returns at once; the daemon is no child of ours,
    // so the port file says when it listens and the pid file whom to stop.
    auto started = runCommand({binaryPath("rockets-server"), "--daemon", "--pidfile=" + pidFile,
                               "--port-file=" + portFile, "--config=" + dir.file("rockets.properties")},
                              dir.file("daemon.log"), 20s);
    ASSERT_EQ(started.exitCode, 0) << started.output;
    std::optional<int> port;
    ASSERT_TRUE(waitUntil(60s, [&] { return (port = readPortFile(portFile)).has_value(); }))
        << "the daemon did not start listening:\n" << daemonLog();
    pid_t pid = 0;
    std::ifstream(pidFile) >> pid;
    ASSERT_GT(pid, 0);

    EXPECT_EQ(status(*port, "POST", "/messages", kLaunch), 202);
    EXPECT_TRUE(Poco::File(dir.file("data/rockets.db")).exists()) << "relative to the config file's folder";
    EXPECT_FALSE(Poco::File("/data/rockets.db").exists()) << "never relative to / after daemonizing";

    ::kill(pid, SIGTERM);
    // A clean exit removes the pid file (Poco) and the port file; the process is
    // then gone, or a zombie if nobody reaps orphans in this container.
    const auto exited = [&] {
        if (Poco::File(pidFile).exists() || Poco::File(portFile).exists()) return false;
        return hasEnded(pid);
    };
    EXPECT_TRUE(waitUntil(60s, exited)) << "the daemon did not stop on SIGTERM:\n" << daemonLog();
}

}  // namespace rockets::test

namespace rockets::test {

TEST(Server, ASecondServerOnABusyPortFailsInsteadOfSharingIt) {
    TempDir dir;
    ServerProcess first(dir, kMemory);
    first.start();
    auto second = runCommand({binaryPath("rockets-server"), "--port=" + std::to_string(first.port()), "-D",
                              "rockets.store.events=memory", "-D", "rockets.store.rockets=memory", "-D",
                              "rockets.plugins.dir=" + std::string(ROCKETS_PLUGIN_DIR)},
                             dir.file("second.log"), std::chrono::seconds(20));
    EXPECT_EQ(second.exitCode, 69) << second.output;
    EXPECT_NE(second.output.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos)
        << second.output;
    EXPECT_EQ(first.stop(), 0);
}

}  // namespace rockets::test
