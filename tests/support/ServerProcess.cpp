#include "ServerProcess.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <csignal>
#include <thread>

namespace rockets::test {

std::string binaryPath(const std::string& name) { return std::string(ROCKETS_BIN_DIR) + "/" + name; }

ServerProcess::ServerProcess(const TempDir& dir, std::map<std::string, std::string> defines, int port,
                             std::vector<std::string> extraArgs)
    : dir_(dir), defines_(std::move(defines)), port_(port == 0 ? freePort() : port), extraArgs_(std::move(extraArgs)) {}

ServerProcess::~ServerProcess() = default;

std::string ServerProcess::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string ServerProcess::log() const { return process_ ? process_->log() : std::string(); }

void ServerProcess::start() {
    std::vector<std::string> argv = {binaryPath("rockets-server"), "--port=" + std::to_string(port_),
                                     "-D", "rockets.plugins.dir=" + std::string(ROCKETS_PLUGIN_DIR)};
    for (const auto& [key, value] : defines_) {
        argv.push_back("-D");
        argv.push_back(key + "=" + value);
    }
    argv.insert(argv.end(), extraArgs_.begin(), extraArgs_.end());
    process_ = std::make_unique<ChildProcess>(argv, dir_.file("server-" + std::to_string(port_) + ".log"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process_->running()) throw Poco::RuntimeException("rockets-server exited during start-up:\n" + log());
        try {
            Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
            session.setTimeout(Poco::Timespan(2, 0));
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/healthz");
            session.sendRequest(request);
            Poco::Net::HTTPResponse response;
            session.receiveResponse(response);
            if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) return;
        } catch (const Poco::Exception&) {
            // Not listening yet.
        }
        // Polling readiness of another process: nothing to wait on but its port.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw Poco::TimeoutException("rockets-server did not become ready:\n" + log());
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
