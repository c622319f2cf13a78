// The real rockets-server binary failing loudly, early and the same way (issue 11):
// documented exit codes, one line on stderr naming the key or path, and a daemon
// that only detaches once start-up succeeded; SIGHUP reopens the log and keeps serving;
// --version.
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
#include <sstream>

namespace rockets::test {

namespace {

using namespace std::chrono_literals;

constexpr int kUsage = 64, kUnavailable = 69, kConfig = 78;

std::vector<std::string> serverWith(std::vector<std::string> args) {
    args.insert(args.begin(), binaryPath("rockets-server"));
    args.push_back("-D");
    args.push_back("rockets.plugins.dir=" + std::string(ROCKETS_PLUGIN_DIR));
    return args;
}

const std::vector<std::string> kMemory = {"-D", "rockets.store.events=memory", "-D", "rockets.store.rockets=memory"};

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string readFile(const std::string& path) {
    std::ostringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
}

/// Runs the server to completion; its exit code and what it printed.
RunResult run(const TempDir& dir, const std::vector<std::string>& args, const std::string& name) {
    return runCommand(serverWith(args), dir.file(name + ".out"), 30s);
}

/// The output is exactly one line, starting "rockets-server: ".
void expectOneErrorLine(const RunResult& r) {
    EXPECT_EQ(r.output.rfind("rockets-server: ", 0), 0u) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

/// A daemon the test must never leave behind, found through its pid file.
struct KillAtExit {
    std::string pidFile;
    ~KillAtExit() {
        pid_t pid = 0;
        if (std::ifstream(pidFile) >> pid && pid > 0) ::kill(pid, SIGKILL);
    }
};

}  // namespace

TEST(Startup, VersionPrintsTheVersionAndTheGitRevision) {
    TempDir dir;
    const RunResult r = run(dir, {"--version"}, "version");
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.output.rfind("rockets-server 0.", 0), 0u) << r.output;
    EXPECT_NE(r.output.find("(revision "), std::string::npos) << r.output;
}

TEST(Startup, UnknownOptionIsAUsageError) {
    TempDir dir;
    const RunResult r = run(dir, {"--prot=8088"}, "option");
    EXPECT_EQ(r.exitCode, kUsage);
    expectOneErrorLine(r);
    EXPECT_NE(r.output.find("prot"), std::string::npos) << r.output;
}

TEST(Startup, UnknownKeyIsAConfigurationErrorNamingTheNearestKnownOne) {
    TempDir dir;
    const RunResult r = run(dir, {"-D", "rockets.store.event=memory"}, "key");
    EXPECT_EQ(r.exitCode, kConfig);
    expectOneErrorLine(r);
    EXPECT_NE(r.output.find("'rockets.store.event'"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("did you mean 'rockets.store.events'"), std::string::npos) << r.output;
}

TEST(Startup, UnknownKeyInTheConfigFileIsFoundToo) {
    TempDir dir;
    std::ofstream(dir.file("rockets.properties")) << "rockets.sqlite.synchronus = NORMAL\n";
    const RunResult r = run(dir, {"--config=" + dir.file("rockets.properties")}, "file-key");
    EXPECT_EQ(r.exitCode, kConfig);
    EXPECT_NE(r.output.find("did you mean 'rockets.sqlite.synchronous'"), std::string::npos) << r.output;
}

TEST(Startup, BadValueIsAConfigurationErrorNamingTheKey) {
    TempDir dir;
    const RunResult r = run(dir, kMemory + std::vector<std::string>{"-D", "rockets.http.corsOrigins=example.com"}, "value");
    EXPECT_EQ(r.exitCode, kConfig);
    expectOneErrorLine(r);
    EXPECT_NE(r.output.find("rockets.http.corsOrigins"), std::string::npos) << r.output;
}

TEST(Startup, MissingConfigFileIsAConfigurationErrorNamingThePath) {
    TempDir dir;
    const RunResult r = run(dir, {"--config=" + dir.file("absent.properties")}, "config");
    EXPECT_EQ(r.exitCode, kConfig);
    expectOneErrorLine(r);
    EXPECT_NE(r.output.find(dir.file("absent.properties")), std::string::npos) << r.output;
}

#if ROCKETS_TEST_WITH_REDIS  // the redis plugin is built (ROCKETS_PLUGINS)
TEST(Startup, UnreachableStoreIsUnavailable) {
    TempDir dir;
    const RunResult r = run(dir, {"-D", "rockets.store.events=redis", "-D", "rockets.store.rockets=redis", "-D",
                                  "rockets.redis.socket=" + dir.file("no-redis.sock"), "-D", "rockets.redis.timeoutMs=200"},
                            "redis");
    EXPECT_EQ(r.exitCode, kUnavailable) << r.output;
    EXPECT_NE(r.output.find("no-redis.sock"), std::string::npos) << r.output;
}
#endif

TEST(Startup, DaemonWithAnUnknownPluginFailsBeforeDetachingWithTheReason) {
    TempDir dir;
    const std::string pidFile = dir.file("server.pid");
    const RunResult r = run(dir, {"--daemon", "--pidfile=" + pidFile, "-D", "rockets.store.events=mongo",
                                  "-D", "rockets.daemon.logFile=" + dir.file("daemon.log")},
                            "mongo");
    EXPECT_EQ(r.exitCode, kConfig);
    expectOneErrorLine(r);
    EXPECT_NE(r.output.find("rockets-store-mongo.so"), std::string::npos) << r.output;
    EXPECT_FALSE(Poco::File(pidFile).exists()) << "no pid file for a server that never ran";
}

TEST(Startup, DaemonOnABusyPortFailsBeforeDetachingWithTheAddress) {
    TempDir dir;
    const Poco::Net::ServerSocket held(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::string port = std::to_string(held.address().port());
    const std::string pidFile = dir.file("server.pid");
    KillAtExit killAtExit{pidFile};
    const RunResult r = run(dir, kMemory + std::vector<std::string>{"--daemon", "--port=" + port, "--pidfile=" + pidFile,
                                                                    "-D", "rockets.daemon.logFile=" + dir.file("d.log")},
                            "busy");
    EXPECT_EQ(r.exitCode, kUnavailable);
    expectOneErrorLine(r);
    EXPECT_NE(r.output.find("cannot listen on 127.0.0.1:" + port), std::string::npos) << r.output;
    EXPECT_FALSE(Poco::File(pidFile).exists());
    EXPECT_NE(readFile(dir.file("d.log")).find("cannot listen on"), std::string::npos) << "the log says it too";
}

TEST(Startup, DaemonLogsToAFileByDefaultAndSighupReopensIt) {
    TempDir dir;
    // The shipped configuration's logging: the console, which a daemon cannot keep.
    std::ofstream(dir.file("rockets.properties")) << "rockets.store.events = memory\nrockets.store.rockets = memory\n"
                                                  << "rockets.plugins.dir = " << ROCKETS_PLUGIN_DIR << "\n"
                                                  << "logging.loggers.root.channel = console\n"
                                                  << "logging.channels.console.class = ConsoleChannel\n";
    const std::string pidFile = dir.file("server.pid"), portFile = dir.file("server.port");
    const std::string log = dir.file("rockets.log");  // rockets.daemon.logFile's default, beside the config
    KillAtExit killAtExit{pidFile};
    const RunResult started = runCommand({binaryPath("rockets-server"), "--daemon", "--port=0", "--pidfile=" + pidFile,
                                          "--port-file=" + portFile, "--config=" + dir.file("rockets.properties")},
                                         dir.file("start.out"), 30s);
    ASSERT_EQ(started.exitCode, 0) << started.output;
    EXPECT_EQ(started.output, "") << "a daemon that started says nothing on the terminal";
    // The parent exits only once the child is ready: both files exist already.
    const auto port = readPortFile(portFile);
    ASSERT_TRUE(port.has_value());
    pid_t pid = 0;
    ASSERT_TRUE(std::ifstream(pidFile) >> pid);
    EXPECT_EQ(httpRequest(*port, "GET", "/livez").status, 200);
    EXPECT_NE(readFile(log).find("started (pid " + std::to_string(pid) + ")"), std::string::npos) << readFile(log);

    // logrotate: move the file away, then SIGHUP; the log continues under the old name.
    ASSERT_EQ(std::rename(log.c_str(), (log + ".1").c_str()), 0);
    ::kill(pid, SIGHUP);
    EXPECT_TRUE(waitUntil(10s, [&] { return readFile(log).find("reopened the log files") != std::string::npos; }))
        << "no new log file after SIGHUP";
    EXPECT_EQ(httpRequest(*port, "GET", "/livez").status, 200) << "SIGHUP does not stop the server";
    EXPECT_EQ(readFile(log + ".1").find("reopened"), std::string::npos);

    ::kill(pid, SIGTERM);
    EXPECT_TRUE(waitUntil(30s, [&] { return !Poco::File(pidFile).exists(); })) << readFile(log);
    EXPECT_TRUE(waitUntil(10s, [&] { return readFile(log).find("stopped") != std::string::npos; }));
}

TEST(Startup, SighupKeepsAForegroundServerServing) {
    TempDir dir;
    ServerProcess server(dir, {{"rockets.store.events", "memory"}, {"rockets.store.rockets", "memory"}});
    server.start();
    server.signal(SIGHUP);
    EXPECT_TRUE(waitUntil(10s, [&] { return server.log().find("SIGHUP: reopened the log files") != std::string::npos; }))
        << server.log();
    EXPECT_TRUE(server.running());
    EXPECT_EQ(httpRequest(server.port(), "GET", "/livez").status, 200);
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace rockets::test
