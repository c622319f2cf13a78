// rockets-baseline: the ceiling for any Poco-based server of this project.
//
// The same Poco HTTPServer set-up as server/src/Service.cpp (own ThreadPool of
// 2..maxThreads, maxQueued, timeouts, keep-alive) and the same request work up
// to the store: read the body, rockets::parseMessage (strict JSON + validation),
// answer 202 {"status":"accepted"}. No router, no metrics, no store, no consumer.
//
// Usage: rockets-baseline [--port=N] [--host=H] [--max-threads=N] [--max-queued=N]
// Prints "listening on PORT" once bound; stops on SIGINT/SIGTERM.
#include "rockets/Codec.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <istream>
#include <string>
#include <string_view>

namespace {

struct Options {
    std::string host = "127.0.0.1";
    int port = 8099;
    int maxThreads = 64;   // rockets.http.maxThreads default
    int maxQueued = 1024;  // rockets.http.maxQueued default
    int timeoutMs = 10000; // rockets.http.timeoutMs default
    std::size_t maxBodyBytes = 65536;
};

const std::string kAccepted = R"({"status":"accepted"})";
const std::string kInvalid = R"({"error":{"code":"invalid_message","message":"rejected by the baseline"}})";

class IngestHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit IngestHandler(std::size_t maxBodyBytes) : maxBodyBytes_(maxBodyBytes) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string body;
        bool ok = false;
        if (request.hasContentLength()) {
            const auto length = request.getContentLength64();
            if (length >= 0 && static_cast<std::uint64_t>(length) <= maxBodyBytes_) {
                body.resize(static_cast<std::size_t>(length));
                request.stream().read(body.data(), static_cast<std::streamsize>(length));
                body.resize(static_cast<std::size_t>(request.stream().gcount()));
                ok = true;
            }
        }
        if (ok && request.getMethod() == Poco::Net::HTTPRequest::HTTP_POST)
            ok = std::holds_alternative<rockets::Message>(rockets::parseMessage(body));
        const std::string& answer = ok ? kAccepted : kInvalid;
        response.setStatusAndReason(ok ? Poco::Net::HTTPResponse::HTTP_ACCEPTED : Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(static_cast<std::streamsize>(answer.size()));
        response.sendBuffer(answer.data(), answer.size());
    }

private:
    std::size_t maxBodyBytes_;
};

class IngestFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit IngestFactory(std::size_t maxBodyBytes) : maxBodyBytes_(maxBodyBytes) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new IngestHandler(maxBodyBytes_);
    }

private:
    std::size_t maxBodyBytes_;
};

bool readFlag(std::string_view arg, std::string_view name, std::string& value) {
    if (!arg.starts_with(name) || arg.size() <= name.size() || arg[name.size()] != '=') return false;
    value = std::string(arg.substr(name.size() + 1));
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string value;
        const std::string_view arg = argv[i];
        if (readFlag(arg, "--port", value)) options.port = std::atoi(value.c_str());
        else if (readFlag(arg, "--host", value)) options.host = value;
        else if (readFlag(arg, "--max-threads", value)) options.maxThreads = std::atoi(value.c_str());
        else if (readFlag(arg, "--max-queued", value)) options.maxQueued = std::atoi(value.c_str());
        else {
            std::cerr << "usage: rockets-baseline [--port=N] [--host=H] [--max-threads=N] [--max-queued=N]\n";
            return arg == "--help" ? 0 : 2;
        }
    }

    // Block the stop signals before any thread starts, then wait for one.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    Poco::ThreadPool threads("baseline-http", 2, options.maxThreads);
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(options.host, static_cast<Poco::UInt16>(options.port)), true);
    socket.listen(options.maxQueued);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.maxThreads);
    params->setMaxQueued(options.maxQueued);
    params->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(options.timeoutMs) * 1000));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(options.timeoutMs) * 1000));
    params->setServerName("rockets-baseline");
    Poco::Net::HTTPServer server(new IngestFactory(options.maxBodyBytes), threads, socket, params);
    server.start();
    std::cout << "listening on " << server.port() << std::endl;

    int signal = 0;
    sigwait(&stopSignals, &signal);
    server.stopAll(false);
    threads.joinAll();
    return 0;
}
