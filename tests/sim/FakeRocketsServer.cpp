#include "FakeRocketsServer.h"

#include "rockets/Codec.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

namespace rockets::sim::test {

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(std::shared_ptr<FakeRocketsServer::State> state) : state_(std::move(state)) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        std::string body;
        Poco::StreamCopier::copyToString(request.stream(), body);
        response.setContentType("application/json; charset=utf-8");
        const Poco::URI uri(request.getURI());
        if (request.getMethod() == "POST" && uri.getPath() == "/messages") return post(request, body, response);
        if (request.getMethod() == "GET") {
            {
                std::lock_guard lock(state_->mutex);
                state_->getPaths.push_back(request.getURI());
            }
            if (uri.getPath() == "/rockets") return list(uri, response);
            const std::string prefix = "/rockets/";
            const std::string raw = request.getURI().substr(0, request.getURI().find('?'));
            if (raw.rfind(prefix, 0) == 0) {
                std::string channel;
                Poco::URI::decode(raw.substr(prefix.size()), channel);
                return get(channel, response);
            }
        }
        send(response, HTTPResponse::HTTP_NOT_FOUND, encodeError("not_found", "no such path"));
    }

private:
    static void send(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& body) {
        response.setStatus(status);
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    }

    void post(HTTPServerRequest& request, const std::string& body, HTTPServerResponse& response) {
        int status = 202;
        {
            std::lock_guard lock(state_->mutex);
            state_->posts.push_back({body, request.getKeepAlive(), request.get("User-Agent", "")});
            if (!state_->postStatuses.empty()) {
                status = state_->postStatuses.front();
                state_->postStatuses.pop_front();
            }
        }
        const auto code = static_cast<HTTPResponse::HTTPStatus>(status);
        if (status == 202) return send(response, code, R"({"status":"accepted"})");
        if (status == 200) return send(response, code, R"({"status":"duplicate"})");
        send(response, code, encodeError("scripted", "scripted failure"));
    }

    void get(const std::string& channel, HTTPServerResponse& response) {
        std::lock_guard lock(state_->mutex);
        const auto found = state_->rockets.find(channel);
        if (found == state_->rockets.end())
            return send(response, HTTPResponse::HTTP_NOT_FOUND, encodeError("not_found", "unknown channel"));
        send(response, HTTPResponse::HTTP_OK, encodeRocket(found->second));
    }

    void list(const Poco::URI& uri, HTTPServerResponse& response) {
        std::size_t limit = 1000;
        std::size_t offset = 0;
        for (const auto& [key, value] : uri.getQueryParameters()) {
            if (key == "limit") limit = Poco::NumberParser::parseUnsigned(value);
            if (key == "offset") offset = Poco::NumberParser::parseUnsigned(value);
        }
        std::vector<Rocket> page;
        std::size_t total = 0;
        {
            std::lock_guard lock(state_->mutex);
            total = state_->totalCountOverride.value_or(state_->rockets.size());
            std::size_t index = 0;
            for (const auto& [channel, rocket] : state_->rockets) {
                if (index >= offset && page.size() < limit) page.push_back(rocket);
                ++index;
            }
        }
        response.set("X-Total-Count", std::to_string(total));
        send(response, HTTPResponse::HTTP_OK, encodeRockets(page));
    }

    std::shared_ptr<FakeRocketsServer::State> state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(std::shared_ptr<FakeRocketsServer::State> state) : state_(std::move(state)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
        return new Handler(state_);
    }

private:
    std::shared_ptr<FakeRocketsServer::State> state_;
};

}  // namespace

FakeRocketsServer::FakeRocketsServer() : state_(std::make_shared<State>()) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), threads_, socket, params);
    server_->start();
}

FakeRocketsServer::~FakeRocketsServer() {
    server_->stopAll(true);
    // Its own pool, joined here: a connection thread still answering must not outlive
    // the test (or, in Poco's default pool, run into Poco's statics at exit).
    threads_.joinAll();
}

Target FakeRocketsServer::target() const {
    return Target::parse("http://127.0.0.1:" + std::to_string(server_->port()) + "/messages");
}

void FakeRocketsServer::putRocket(const Rocket& rocket) {
    std::lock_guard lock(state_->mutex);
    state_->rockets[rocket.channel] = rocket;
}

void FakeRocketsServer::scriptPostStatuses(std::deque<int> statuses) {
    std::lock_guard lock(state_->mutex);
    state_->postStatuses = std::move(statuses);
}

void FakeRocketsServer::overrideTotalCount(std::size_t total) {
    std::lock_guard lock(state_->mutex);
    state_->totalCountOverride = total;
}

std::vector<ReceivedPost> FakeRocketsServer::posts() const {
    std::lock_guard lock(state_->mutex);
    return state_->posts;
}

std::vector<std::string> FakeRocketsServer::getPaths() const {
    std::lock_guard lock(state_->mutex);
    return state_->getPaths;
}

}  // namespace rockets::sim::test
