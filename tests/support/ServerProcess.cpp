#include "ServerProcess.h"

#include "WaitUntil.h"

#include <Poco/Exception.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>

namespace rockets::test {

namespace {
/// Start-up is a plugin load, opening the stores and the consumer's start-up pass:
/// well under a second, unless the machine is busy with parallel test runs.
constexpr std::chrono::seconds kStartTimeout{60};
}  // namespace

std::string binaryPath(const std::string& name) { return std::string(ROCKETS_BIN_DIR) + "/" + name; }

std::optional<int> readPortFile(const std::string& path) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) return port;
    return std::nullopt;
}

int awaitPortFile(ChildProcess& server, const std::string& portFile, std::chrono::milliseconds timeout) {
    std::optional<int> port;
    const bool settled = waitUntil(timeout, [&] { return (port = readPortFile(portFile)) || !server.running(); });
    if (port) return *port;
    if (!settled) throw Poco::TimeoutException("rockets-server did not start listening:\n" + server.log());
    throw Poco::RuntimeException("rockets-server exited during start-up:\n" + server.log());
}

ServerProcess::ServerProcess(const TempDir& dir, std::map<std::string, std::string> defines,
                             std::vector<std::string> extraArgs)
    : dir_(dir), defines_(std::move(defines)), extraArgs_(std::move(extraArgs)) {
    static std::atomic<int> instances{0};
    name_ = "server-" + std::to_string(++instances);
}

ServerProcess::~ServerProcess() = default;

std::string ServerProcess::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string ServerProcess::log() const { return process_ ? process_->log() : std::string(); }

void ServerProcess::start() {
    const std::string portFile = dir_.file(name_ + ".port");
    // A run killed with -9 leaves its port file behind.
    std::remove(portFile.c_str());
    std::vector<std::string> argv = {binaryPath("rockets-server"), "--port=0", "--port-file=" + portFile,
                                     "-D", "rockets.plugins.dir=" + std::string(ROCKETS_PLUGIN_DIR)};
    for (const auto& [key, value] : defines_) {
        argv.push_back("-D");
        argv.push_back(key + "=" + value);
    }
    argv.insert(argv.end(), extraArgs_.begin(), extraArgs_.end());
    port_ = 0;
    process_ = std::make_unique<ChildProcess>(argv, dir_.file(name_ + ".log"));
    port_ = awaitPortFile(*process_, portFile, kStartTimeout);
}

int ServerProcess::stop() {
    if (!process_) return 0;
    process_->signal(SIGTERM);
    auto code = process_->wait(std::chrono::seconds(30));
    if (!code) {
        process_->signal(SIGKILL);
        code = process_->wait(std::chrono::seconds(10));
    }
    return code.value_or(-1);
}

void ServerProcess::kill9() {
    if (!process_) return;
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(10));
}

}  // namespace rockets::test
