// The real rockets-server binary: start-up, options, errors and shutdown.
#include "Backends.h"
#include "ChildProcess.h"
#include "ServerProcess.h"
#include "TempDir.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <thread>

namespace rockets::test {

namespace {

const std::map<std::string, std::string> kMemory = {{"rockets.store.events", "memory"},
                                                    {"rockets.store.rockets", "memory"}};

int status(int port, const std::string& method, const std::string& target, const std::string& body = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!body.empty()) request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response).ignore(1 << 20);
    return static_cast<int>(response.getStatus());
}

const std::string kLaunch =
    R"({"metadata":{"channel":"e2e","messageNumber":1,"messageTime":"2022-02-02T19:39:05.86337+01:00",)"
    R"("messageType":"RocketLaunched"},"message":{"type":"Falcon-9","launchSpeed":500,"mission":"ARTEMIS"}})";

}  // namespace

TEST(Server, HelpDocumentsOptionsAndExitsZero) {
    TempDir dir;
    auto r = runCommand({binaryPath("rockets-server"), "--help"}, dir.file("help.log"), std::chrono::seconds(10));
    EXPECT_EQ(r.exitCode, 0);
    for (const char* text : {"--config", "--define", "--port", "--daemon", "--pidfile", "rockets.http.port",
                             "rockets.store.events", "rockets.consumer.workers"}) {
        EXPECT_NE(r.output.find(text), std::string::npos) << text << "\n" << r.output;
    }
}

TEST(Server, MissingPluginFailsStartUpNamingThePathAndThePluginsFound) {
    TempDir dir;
    auto r = runCommand({binaryPath("rockets-server"), "--port=" + std::to_string(freePort()), "-D",
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
    const int port = freePort();
    ChildProcess child({binaryPath("rockets-server"), "--port=" + std::to_string(port), "-D",
                        "rockets.store.events=memory", "-D", "rockets.store.rockets=memory"},
                       dir.file("default.log"));
    bool up = false;
    for (int i = 0; i < 500 && !up && child.running(); ++i) {
        try {
            up = status(port, "GET", "/healthz") == 200;
        } catch (const Poco::Exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    EXPECT_TRUE(up) << child.log();
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait(std::chrono::seconds(30)), 0);
}

TEST(Server, ServesTheApiAndStopsGracefullyOnSigterm) {
    TempDir dir;
    ServerProcess server(dir, kMemory);
    server.start();
    EXPECT_EQ(status(server.port(), "POST", "/messages", kLaunch), 202);
    EXPECT_EQ(status(server.port(), "POST", "/messages", kLaunch), 200);
    EXPECT_EQ(status(server.port(), "GET", "/rockets"), 200);
    EXPECT_EQ(server.stop(), 0) << server.log();
    const std::string log = server.log();
    EXPECT_NE(log.find("stopping"), std::string::npos) << log;
    EXPECT_NE(log.find("stopped"), std::string::npos) << log;
}

TEST(Server, SigintAlsoStopsGracefully) {
    TempDir dir;
    ServerProcess server(dir, kMemory);
    server.start();
    EXPECT_EQ(status(server.port(), "POST", "/messages", kLaunch), 202);
    server.signal(SIGINT);
    EXPECT_EQ(server.wait(std::chrono::seconds(30)), 0) << server.log();
    EXPECT_NE(server.log().find("stopped"), std::string::npos) << server.log();
}

TEST(Server, ConfigFileIsReadAndDefinesOverrideIt) {
    TempDir dir;
    const int filePort = freePort();
    {
        std::ofstream config(dir.file("rockets.properties"));
        config << "rockets.http.port = " << filePort << "\n"
               << "rockets.store.events = memory\nrockets.store.rockets = memory\n"
               << "rockets.http.webhookToken = from-file\n";
    }
    ServerProcess server(dir, {{"rockets.http.webhookToken", "from-command-line"}}, 0,
                         {"--config=" + dir.file("rockets.properties")});
    server.start();  // --port (set by ServerProcess) wins over the file's port
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.port()));
    Poco::Net::HTTPRequest request("POST", "/messages", Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer from-command-line");
    request.setContentLength(static_cast<std::streamsize>(kLaunch.size()));
    session.sendRequest(request) << kLaunch;
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response).ignore(1 << 20);
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_ACCEPTED);
    EXPECT_EQ(status(server.port(), "POST", "/messages", kLaunch), 401) << "the file's token is overridden";
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace rockets::test

namespace rockets::test {

TEST(Server, DaemonResolvesTheSqlitePathAgainstTheConfigFolderNotSlash) {
    TempDir dir;
    const int port = freePort();
    {
        std::ofstream config(dir.file("rockets.properties"));
        config << "rockets.http.port = " << port << "\n"
               << "rockets.store.events = sqlite\nrockets.store.rockets = sqlite\n"
               << "rockets.sqlite.path = data/rockets.db\n"
               << "rockets.plugins.dir = " << ROCKETS_PLUGIN_DIR << "\n";
    }
    // --daemon forks, changes to "/" and returns: the pid file tells us whom to stop.
    auto started = runCommand({binaryPath("rockets-server"), "--daemon", "--pidfile=" + dir.file("server.pid"),
                               "--config=" + dir.file("rockets.properties")},
                              dir.file("daemon.log"), std::chrono::seconds(20));
    ASSERT_EQ(started.exitCode, 0) << started.output;
    bool up = false;
    for (int i = 0; i < 500 && !up; ++i) {
        try {
            up = status(port, "POST", "/messages", kLaunch) == 202;
        } catch (const Poco::Exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));  // not listening yet
        }
    }
    EXPECT_TRUE(up);
    EXPECT_TRUE(Poco::File(dir.file("data/rockets.db")).exists()) << "relative to the config file's folder";
    EXPECT_FALSE(Poco::File("/data/rockets.db").exists()) << "never relative to / after daemonizing";
    std::ifstream pidFile(dir.file("server.pid"));
    pid_t pid = 0;
    pidFile >> pid;
    ASSERT_GT(pid, 0);
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 1500 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_NE(::kill(pid, 0), 0) << "the daemon stops on SIGTERM";
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
    EXPECT_NE(second.exitCode, 0) << second.output;
    EXPECT_NE(second.output.find("cannot start"), std::string::npos) << second.output;
    EXPECT_EQ(first.stop(), 0);
}

}  // namespace rockets::test
