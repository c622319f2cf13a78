#include "RedisScript.h"

#include "rockets/StoreErrors.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace rockets::redis {

bool RedisScript::isNoScript(const redisReply& reply) {
    return reply.type == REDIS_REPLY_ERROR && replyView(reply).starts_with("NOSCRIPT");
}

Command RedisScript::command(const ScriptCall& call, std::string& count) const {
    count = std::to_string(call.keys.size());
    Command argv;
    argv.reserve(3 + call.keys.size() + call.args.size());
    argv.push_back("EVALSHA");
    argv.push_back(sha_);
    argv.push_back(count);
    argv.insert(argv.end(), call.keys.begin(), call.keys.end());
    argv.insert(argv.end(), call.args.begin(), call.args.end());
    return argv;
}

RedisScript::RedisScript(std::string name, std::string_view source) : name_(std::move(name)), source_(source) {
    Poco::SHA1Engine sha1;
    sha1.update(source_);
    sha_ = Poco::DigestEngine::digestToHex(sha1.digest());
}

void RedisScript::load(RedisConnection& connection, Clock::time_point deadline) const {
    auto loaded = connection.command({"SCRIPT", "LOAD", source_}, deadline);
    connection.expect(*loaded, REDIS_REPLY_STRING, "SCRIPT LOAD of the " + name_);
    if (replyView(*loaded) != sha_) throw StoreUnavailableException("redis: SCRIPT LOAD returned an unexpected sha");
}

ReplyPtr RedisScript::run(RedisConnection& connection, const ScriptCall& call, Clock::time_point deadline) const {
    std::string count;
    const Command argv = command(call, count);
    auto reply = connection.command(argv, deadline);
    if (isNoScript(*reply)) {
        load(connection, deadline);
        reply = connection.command(argv, deadline);
    }
    if (reply->type == REDIS_REPLY_ERROR) connection.expect(*reply, REDIS_REPLY_ARRAY, name_);
    return reply;
}

std::vector<ReplyPtr> RedisScript::runMany(RedisConnection& connection, const std::vector<ScriptCall>& calls,
                                           Clock::time_point deadline) const {
    return runMany(connection, calls, {}, deadline);
}

std::vector<ReplyPtr> RedisScript::runMany(RedisConnection& connection, const std::vector<ScriptCall>& calls,
                                           const std::vector<Command>& tail, Clock::time_point deadline) const {
    std::vector<std::string> counts(calls.size());
    std::vector<Command> commands;
    commands.reserve(calls.size() + tail.size());
    for (std::size_t i = 0; i < calls.size(); ++i) commands.push_back(command(calls[i], counts[i]));
    commands.insert(commands.end(), tail.begin(), tail.end());
    std::vector<ReplyPtr> replies = connection.pipeline(commands, deadline);

    // NOSCRIPT means the call did not run: load the script and send those calls again.
    std::vector<std::size_t> again;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (isNoScript(*replies[i])) again.push_back(i);
    }
    if (again.empty()) return replies;
    load(connection, deadline);
    std::vector<Command> retry;
    retry.reserve(again.size());
    for (std::size_t i : again) retry.push_back(commands[i]);
    std::vector<ReplyPtr> retried = connection.pipeline(retry, deadline);
    for (std::size_t k = 0; k < again.size(); ++k) replies[again[k]] = std::move(retried[k]);
    return replies;
}

}  // namespace rockets::redis
