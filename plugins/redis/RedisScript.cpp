#include "RedisScript.h"

#include "rockets/StoreErrors.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace rockets::redis {

RedisScript::RedisScript(std::string source) : source_(std::move(source)) {
    Poco::SHA1Engine sha1;
    sha1.update(source_);
    sha_ = Poco::DigestEngine::digestToHex(sha1.digest());
}

ReplyPtr RedisScript::run(RedisConnection& connection, const std::vector<std::string_view>& keys,
                          const std::vector<std::string_view>& args, Clock::time_point deadline) const {
    const std::string keyCount = std::to_string(keys.size());
    std::vector<std::string_view> argv;
    argv.reserve(3 + keys.size() + args.size());
    argv.push_back("EVALSHA");
    argv.push_back(sha_);
    argv.push_back(keyCount);
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());

    auto reply = connection.command(argv, deadline);
    if (reply->type == REDIS_REPLY_ERROR && replyText(*reply).starts_with("NOSCRIPT")) {
        auto loaded = connection.command({"SCRIPT", "LOAD", source_}, deadline);
        expectReply(*loaded, REDIS_REPLY_STRING, "SCRIPT LOAD");
        if (replyText(*loaded) != sha_) throw StoreUnavailableException("redis: SCRIPT LOAD returned an unexpected sha");
        reply = connection.command(argv, deadline);
    }
    if (reply->type == REDIS_REPLY_ERROR) expectReply(*reply, REDIS_REPLY_ARRAY, "EVALSHA");
    return reply;
}

}  // namespace rockets::redis
