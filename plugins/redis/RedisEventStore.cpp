#include "RedisEventStore.h"

#include "LogMember.h"
#include "RedisScripts.h"

#include "rockets/StoreErrors.h"

#include <algorithm>
#include <limits>

namespace rockets::redis {

namespace {

/// The arguments of one range's ZRANGEBYSCORE; `Command` views into them.
struct RangeQuery {
    std::string log;
    std::string from;
    std::string count;
    RangeQuery(const RedisKeys& keys, const EventRange& range)
        : log(keys.log(range.channel)),
          from(std::to_string(range.fromNumber)),
          count(std::to_string(std::min<std::size_t>(range.max, std::numeric_limits<std::int64_t>::max()))) {}
    Command command() const { return {"ZRANGEBYSCORE", log, from, "+inf", "LIMIT", "0", count}; }
};

}  // namespace

RedisEventStore::RedisEventStore(RedisConnectionPool& pool, const RedisKeys& keys, AppendPipeline& appends,
                                 ReadAhead& readAhead)
    : pool_(pool),
      keys_(keys),
      appends_(appends),
      readAhead_(readAhead),
      changesScript_("changes script", scripts::kChangesScript) {}

AppendResult RedisEventStore::append(const Message& message) { return appends_.append(message); }

std::vector<Message> RedisEventStore::read(const std::string& channel, std::int64_t fromNumber, std::size_t max) {
    if (max == 0) return {};
    const RangeQuery query(keys_, {channel, fromNumber, max});
    auto reply = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
        return connection.command(query.command(), deadline);
    });
    return LogMember::decodeAll(channel, *reply, pool_.settings().endpoint());
}

std::vector<std::vector<Message>> RedisEventStore::readMany(const std::vector<EventRange>& ranges) {
    std::vector<std::vector<Message>> result(ranges.size());
    const std::string& endpoint = pool_.settings().endpoint();
    readAhead_.want();
    std::vector<RangeQuery> queries;
    std::vector<std::size_t> asked;  ///< index into `ranges` of each query
    queries.reserve(ranges.size());
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        const EventRange& range = ranges[i];
        if (range.max == 0) continue;
        if (auto known = readAhead_.take(range)) {
            result[i] = std::move(*known);
            continue;
        }
        queries.emplace_back(keys_, range);
        asked.push_back(i);
    }
    if (queries.empty()) return result;
    std::vector<Command> commands;
    commands.reserve(queries.size());
    for (const RangeQuery& query : queries) commands.push_back(query.command());
    auto replies = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
        return connection.pipeline(commands, deadline);
    });
    for (std::size_t k = 0; k < asked.size(); ++k) {
        result[asked[k]] = LogMember::decodeAll(ranges[asked[k]].channel, *replies[k], endpoint);
    }
    return result;
}

ChangedChannels RedisEventStore::changedSince(std::uint64_t cursor) {
    const std::string& endpoint = pool_.settings().endpoint();
    const std::string sequenceKey = keys_.sequence();
    const std::string headsKey = keys_.heads();
    const std::string changesKey = keys_.changes();
    const std::string page = std::to_string(kChangesPage);
    const std::string from = std::to_string(cursor);

    auto first = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
        return changesScript_.run(connection, {{sequenceKey, changesKey}, {from, page}}, deadline);
    });
    if (first->elements != 2) throw StoreUnavailableException("redis: malformed reply of the changes script");
    expectReply(*first->element[0], REDIS_REPLY_STRING, "changes script sequence", endpoint);
    const std::string sequence = replyText(*first->element[0]);
    ChangedChannels changed;
    changed.cursor = static_cast<std::uint64_t>(parseInteger(sequence, "change sequence"));

    ReplyPtr members = std::move(first);
    const redisReply* list = members->element[1];
    while (true) {
        expectReply(*list, REDIS_REPLY_ARRAY, "changes page", endpoint);
        const std::size_t count = list->elements / 2;
        if (count == 0) break;
        // Heads and counts of this page's channels, one round trip.
        std::vector<std::string> logs;
        logs.reserve(count);
        Command heads = {"HMGET", headsKey};
        for (std::size_t i = 0; i < count; ++i) {
            expectReply(*list->element[2 * i], REDIS_REPLY_STRING, "changes member", endpoint);
            heads.push_back(replyView(*list->element[2 * i]));
            logs.push_back(keys_.log(replyView(*list->element[2 * i])));
        }
        std::vector<Command> commands;
        commands.reserve(1 + count);
        commands.push_back(std::move(heads));
        for (const std::string& log : logs) commands.push_back({"ZCARD", log});
        auto replies = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
            return connection.pipeline(commands, deadline);
        });
        const redisReply& highest = *replies[0];
        expectReply(highest, REDIS_REPLY_ARRAY, "HMGET of heads", endpoint);
        if (highest.elements != count) throw StoreUnavailableException("redis: short HMGET reply from " + endpoint);
        for (std::size_t i = 0; i < count; ++i) {
            const redisReply& size = *replies[1 + i];
            expectReply(size, REDIS_REPLY_INTEGER, "ZCARD of a log", endpoint);
            if (highest.element[i]->type == REDIS_REPLY_NIL) continue;  // listed in changes, no log: nothing to apply
            expectReply(*highest.element[i], REDIS_REPLY_STRING, "head", endpoint);
            changed.channels.push_back(ChannelHead{replyText(*list->element[2 * i]),
                                                   parseInteger(replyView(*highest.element[i]), "heads"),
                                                   size.integer});
        }
        if (count < kChangesPage) break;
        // The next page starts after this page's last score: scores are unique, and a
        // channel appended to meanwhile moves above `sequence`, to the next call.
        std::string after = "(";  // appended, not "(" + text: GCC 12 warns falsely (-Wrestrict) on that
        after += replyView(*list->element[list->elements - 1]);
        members = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
            auto reply = connection.command(
                {"ZRANGEBYSCORE", changesKey, after, sequence, "WITHSCORES", "LIMIT", "0", page}, deadline);
            connection.expect(*reply, REDIS_REPLY_ARRAY, "ZRANGEBYSCORE of changes");
            return reply;
        });
        list = members.get();
    }
    return changed;
}

}  // namespace rockets::redis
