#include "RedisServer.h"

#include "WaitUntil.h"

#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/StringTokenizer.h>

#include <hiredis/hiredis.h>

#include <csignal>
#include <memory>

namespace rockets::test {

namespace {

std::string findOnPath(const std::string& name) {
    const std::string path = Poco::Environment::get("PATH", "/usr/local/bin:/usr/bin:/bin");
    Poco::StringTokenizer dirs(path, ":", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& dir : dirs) {
        Poco::File candidate(dir + "/" + name);
        if (candidate.exists() && candidate.canExecute()) return candidate.path();
    }
    throw Poco::FileNotFoundException(name + " not found on PATH (" + path +
                                      "); the redis tests need it and do not skip without it");
}

using Context = std::unique_ptr<redisContext, decltype(&redisFree)>;
using Reply = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

std::string replyToText(const redisReply& reply) {
    switch (reply.type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS: return std::string(reply.str, reply.len);
    case REDIS_REPLY_INTEGER: return std::to_string(reply.integer);
    case REDIS_REPLY_NIL: return {};
    case REDIS_REPLY_ARRAY: {
        std::string out;
        for (std::size_t i = 0; i < reply.elements; ++i) {
            if (i) out += '\n';
            out += replyToText(*reply.element[i]);
        }
        return out;
    }
    case REDIS_REPLY_ERROR: throw Poco::IOException("redis error reply: " + std::string(reply.str, reply.len));
    }
    throw Poco::IOException("unknown redis reply type");
}

}  // namespace

RedisServer::RedisServer() : binary_(findOnPath("redis-server")) { start(); }

RedisServer::~RedisServer() {
    try {
        stop();
    } catch (...) {
        // The ChildProcess destructor kills it in any case.
    }
}

RedisServer& RedisServer::shared() {
    static RedisServer instance;
    return instance;
}

void RedisServer::start() {
    if (process_ && process_->running()) return;
    std::vector<std::string> argv = {binary_,       "--port",       "0",
                                     "--unixsocket", socketPath(),   "--unixsocketperm", "700",
                                     "--dir",        dir_.path(),    "--appendonly",     "yes",
                                     "--save",       "",             "--daemonize",      "no",
                                     "--logfile",    ""};
    process_ = std::make_unique<ChildProcess>(argv, dir_.file("redis.log"));
    waitUntilReady(std::chrono::seconds(20));
}

void RedisServer::waitUntilReady(std::chrono::milliseconds timeout) {
    std::string lastError = "not tried";
    const auto answers = [&] {
        if (!process_->running()) throw Poco::RuntimeException("redis-server exited during start-up:\n" + log());
        try {
            return command({"PING"}) == "PONG";
        } catch (const Poco::Exception& e) {
            lastError = e.displayText();  // not listening or still loading the AOF
            return false;
        }
    };
    if (!waitUntil(timeout, answers)) {
        throw Poco::TimeoutException("redis-server did not answer PING (" + lastError + "):\n" + log());
    }
}

void RedisServer::stop() {
    if (!process_) return;
    process_->signal(SIGCONT);  // a paused server cannot handle SIGTERM
    process_->signal(SIGTERM);
    if (!process_->wait(std::chrono::seconds(20))) {
        process_->signal(SIGKILL);
        process_->wait(std::chrono::seconds(10));
    }
    process_.reset();
}

void RedisServer::pause() {
    if (process_) process_->signal(SIGSTOP);
}

void RedisServer::resume() {
    if (process_) process_->signal(SIGCONT);
}

bool RedisServer::running() { return process_ && process_->running(); }

std::string RedisServer::command(const std::vector<std::string>& args) const {
    const timeval timeout{2, 0};
    Context context(redisConnectUnixWithTimeout(socketPath().c_str(), timeout), &redisFree);
    if (!context || context->err) {
        throw Poco::IOException("cannot connect to " + socketPath() + ": " +
                                (context ? std::string(context->errstr) : std::string("no context")));
    }
    redisSetTimeout(context.get(), timeout);
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    Reply reply(static_cast<redisReply*>(
                    redisCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())),
                &freeReplyObject);
    if (!reply) throw Poco::IOException("redis command failed: " + std::string(context->errstr));
    return replyToText(*reply);
}

std::optional<long long> RedisServer::infoNumber(const std::string& section, const std::string& prefix) const {
    const std::string info = command({"INFO", section});
    const auto at = info.find(prefix);
    if (at == std::string::npos) return std::nullopt;
    return std::stoll(info.substr(at + prefix.size()));
}

std::string RedisServer::log() const {
    return process_ ? process_->log() : std::string();
}

}  // namespace rockets::test
