#include "RedisRocketStore.h"

#include "RedisScripts.h"
#include "RocketRecord.h"
#include "SortKey.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <array>
#include <utility>

namespace rockets::redis {

namespace {

/// The list indexes, in the order compare_and_set.lua receives them (KEYS[4..18]).
/// The channel index serves both directions (read backwards for descending).
constexpr std::array<std::pair<SortField, bool>, 15> kIndexes = {{
    {SortField::Channel, false},
    {SortField::Type, false},       {SortField::Type, true},
    {SortField::Mission, false},    {SortField::Mission, true},
    {SortField::Speed, false},      {SortField::Speed, true},
    {SortField::Status, false},     {SortField::Status, true},
    {SortField::LaunchedAt, false}, {SortField::LaunchedAt, true},
    {SortField::UpdatedAt, false},  {SortField::UpdatedAt, true},
    {SortField::LastMessageNumber, false}, {SortField::LastMessageNumber, true},
}};

/// HMGET slices: large enough for few round trips, small enough not to stall Redis.
constexpr std::size_t kSlice = 1000;

/// Rounds of compareAndSetMany: the second declares the filter sets the first
/// reported; a third can only be needed if the script disagreed with itself.
constexpr int kMaxWriteRounds = 3;

}  // namespace

/// The arguments of one compare_and_set.lua call; ScriptCall views into them.
struct RedisRocketStore::PreparedWrite {
    std::string entries;
    std::string expected;
    std::string version;
    std::string record;
    std::string published;
    std::array<std::string, kIndexes.size()> members;
    std::vector<std::string> filters;  ///< the new filter sets, then the extra declared ones
    std::string newFilters;
    std::string log;       ///< for the read-ahead
    std::string readFrom;  ///< the number after the new version
    const std::string* channel = nullptr;

    PreparedWrite(const RedisKeys& keys, const Rocket& rocket, std::int64_t expectedVersion)
        : entries(keys.entries(rocket.channel)),
          expected(std::to_string(expectedVersion)),
          version(std::to_string(rocket.lastMessageNumber)),
          record(RocketRecord::encode(rocket)),
          log(keys.log(rocket.channel)),
          readFrom(std::to_string(rocket.lastMessageNumber + 1)),
          channel(&rocket.channel) {
        if (rocket.visible()) {
            // Unlaunched rockets carry their version only: never listed, never published.
            published = encodeRocket(rocket);
            for (std::size_t i = 0; i < kIndexes.size(); ++i) {
                members[i] = SortKey::member(rocket, kIndexes[i].first, kIndexes[i].second);
            }
            filters = {keys.filter("status", toString(rocket.status)), keys.filter("type", rocket.type),
                       keys.filter("mission", rocket.mission)};
        }
        newFilters = std::to_string(filters.size());
    }

    ScriptCall call(const RedisRocketStore& store) const {
        ScriptCall c;
        c.keys.reserve(3 + kIndexes.size() + filters.size());
        // push_back, not insert of an initializer list: GCC 12 warns falsely on that (-Wstringop-overflow).
        c.keys.push_back(store.versionsKey_);
        c.keys.push_back(store.recordsKey_);
        c.keys.push_back(entries);
        c.keys.insert(c.keys.end(), store.indexKeys_.begin(), store.indexKeys_.end());
        c.keys.insert(c.keys.end(), filters.begin(), filters.end());
        c.args.reserve(7 + kIndexes.size());
        for (std::string_view arg : {std::string_view(*channel), std::string_view(expected), std::string_view(version),
                                     std::string_view(record), std::string_view(published),
                                     std::string_view(store.feedChannel_)}) {
            c.args.push_back(arg);
        }
        c.args.insert(c.args.end(), members.begin(), members.end());
        c.args.push_back(newFilters);
        return c;
    }
};

RedisRocketStore::RedisRocketStore(RedisConnectionPool& pool, const RedisKeys& keys, RedisHealth& health,
                                   ReadAhead& readAhead)
    : pool_(pool),
      keys_(keys),
      health_(health),
      readAhead_(readAhead),
      casScript_("compare-and-set script", scripts::kCompareAndSetScript),
      listScript_("list script", scripts::kListScript),
      recordsKey_(keys.records()),
      versionsKey_(keys.versions()),
      feedChannel_(keys.feed(pool.settings().db)) {
    for (const auto& [field, descending] : kIndexes) indexKeys_.push_back(keys.index(SortKey::indexName(field, descending)));
}

RedisRocketStore::~RedisRocketStore() = default;

std::optional<Rocket> RedisRocketStore::get(const std::string& channel) {
    auto reply = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
        return connection.command({"HGET", recordsKey_, channel}, deadline);
    });
    if (reply->type == REDIS_REPLY_NIL) return std::nullopt;
    expectReply(*reply, REDIS_REPLY_STRING, "HGET of a rocket", pool_.settings().endpoint());
    return RocketRecord::decode(channel, replyView(*reply));
}

std::vector<std::optional<Rocket>> RedisRocketStore::getMany(const std::vector<std::string>& channels) {
    std::vector<std::optional<Rocket>> result(channels.size());
    if (channels.empty()) return result;
    std::vector<Command> commands;
    for (std::size_t first = 0; first < channels.size(); first += kSlice) {
        const std::size_t end = std::min(channels.size(), first + kSlice);
        Command hmget = {"HMGET", recordsKey_};
        hmget.insert(hmget.end(), channels.begin() + static_cast<std::ptrdiff_t>(first),
                     channels.begin() + static_cast<std::ptrdiff_t>(end));
        commands.push_back(std::move(hmget));
    }
    auto replies = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
        return connection.pipeline(commands, deadline);
    });
    const std::string& endpoint = pool_.settings().endpoint();
    for (std::size_t k = 0; k < replies.size(); ++k) {
        const redisReply& reply = *replies[k];
        expectReply(reply, REDIS_REPLY_ARRAY, "HMGET of rockets", endpoint);
        const std::size_t first = k * kSlice;
        if (reply.elements != std::min(kSlice, channels.size() - first)) {
            throw StoreUnavailableException("redis: short HMGET reply from " + endpoint);
        }
        for (std::size_t i = 0; i < reply.elements; ++i) {
            const redisReply& record = *reply.element[i];
            if (record.type == REDIS_REPLY_NIL) continue;
            expectReply(record, REDIS_REPLY_STRING, "HMGET of rockets", endpoint);
            result[first + i] = RocketRecord::decode(channels[first + i], replyView(record));
        }
    }
    return result;
}

RocketPage RedisRocketStore::list(const RocketQuery& query) {
    const bool backwards = query.sort == SortField::Channel && query.descending;
    const std::string index = keys_.index(SortKey::indexName(query.sort, query.descending));
    ScriptCall call;
    call.keys = {index, recordsKey_};
    std::vector<std::string> filters;
    if (query.status) filters.push_back(keys_.filter("status", toString(*query.status)));
    if (query.type) filters.push_back(keys_.filter("type", *query.type));
    if (query.mission) filters.push_back(keys_.filter("mission", *query.mission));
    call.keys.insert(call.keys.end(), filters.begin(), filters.end());
    const std::string offset = std::to_string(query.offset);
    const std::string limit = std::to_string(query.limit);
    call.args = {backwards ? "1" : "0", SortKey::separator(query.sort, query.descending), offset, limit};

    auto reply = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
        auto r = listScript_.run(connection, call, deadline);
        connection.expect(*r, REDIS_REPLY_ARRAY, "list script");
        return r;
    });
    const std::string& endpoint = pool_.settings().endpoint();
    if (reply->elements % 2 != 1) throw StoreUnavailableException("redis: malformed list reply from " + endpoint);
    expectReply(*reply->element[0], REDIS_REPLY_INTEGER, "list total", endpoint);
    RocketPage page;
    page.total = static_cast<std::size_t>(reply->element[0]->integer);
    page.rockets.reserve(reply->elements / 2);
    for (std::size_t i = 1; i < reply->elements; i += 2) {
        expectReply(*reply->element[i], REDIS_REPLY_STRING, "list channel", endpoint);
        const std::string channel = replyText(*reply->element[i]);
        const redisReply& record = *reply->element[i + 1];
        // Index and record are written by one script: an entry without a record is damage.
        if (record.type == REDIS_REPLY_NIL) throw StoreCorruptException("redis: indexed rocket without a record: " + channel);
        expectReply(record, REDIS_REPLY_STRING, "list record", endpoint);
        page.rockets.push_back(RocketRecord::decode(channel, replyView(record)));
    }
    return page;
}

bool RedisRocketStore::compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) {
    return compareAndSetMany({RocketWrite{rocket, expectedVersion}}).front();
}

std::vector<bool> RedisRocketStore::compareAndSetMany(const std::vector<RocketWrite>& writes) {
    std::vector<bool> written(writes.size(), false);
    if (writes.empty()) return written;
    std::vector<PreparedWrite> prepared;
    prepared.reserve(writes.size());
    for (const RocketWrite& w : writes) prepared.emplace_back(keys_, w.rocket, w.expectedVersion);

    std::vector<std::size_t> pending(writes.size());
    for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;
    std::vector<ReadAhead::Page> pages;
    try {
        for (int round = 0; !pending.empty(); ++round) {
            if (round == kMaxWriteRounds) {
                throw StoreUnavailableException("redis: the compare-and-set script keeps asking for other filter sets");
            }
            pending = writeRound(prepared, pending, written, pages);
        }
    } catch (const Poco::Exception& e) {
        readAhead_.put({});
        health_.writeFailed(e.message());
        throw;
    }
    health_.writeSucceeded();
    readAhead_.put(std::move(pages));
    return written;
}

std::vector<std::size_t> RedisRocketStore::writeRound(std::vector<PreparedWrite>& prepared,
                                                      const std::vector<std::size_t>& pending,
                                                      std::vector<bool>& written, std::vector<ReadAhead::Page>& pages) {
    const bool readAhead = readAhead_.wanted();
    const std::string limit = std::to_string(ReadAhead::kLimit);
    std::vector<ScriptCall> calls;
    calls.reserve(pending.size());
    for (std::size_t i : pending) calls.push_back(prepared[i].call(*this));
    std::vector<std::string> counts(calls.size());
    // The scripts of `which` (indexes into `calls`), then, after all of them, their read-ahead.
    auto commandsFor = [&](const std::vector<std::size_t>& which) {
        std::vector<Command> commands;
        commands.reserve(2 * which.size());
        for (std::size_t k : which) commands.push_back(casScript_.command(calls[k], counts[k]));
        if (readAhead) {
            for (std::size_t k : which) {
                const PreparedWrite& w = prepared[pending[k]];
                commands.push_back({"ZRANGEBYSCORE", w.log, w.readFrom, "+inf", "LIMIT", "0", limit});
            }
        }
        return commands;
    };
    std::vector<std::size_t> all(calls.size());
    for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;

    std::vector<ReplyPtr> scripts;
    std::vector<ReplyPtr> reads;
    pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
        std::vector<ReplyPtr> replies = connection.pipeline(commandsFor(all), deadline);
        std::vector<std::size_t> again;  // NOSCRIPT: those did not run
        for (std::size_t k = 0; k < all.size(); ++k) {
            if (RedisScript::isNoScript(*replies[k])) again.push_back(k);
        }
        if (!again.empty()) {
            casScript_.load(connection, deadline);
            std::vector<ReplyPtr> retried = connection.pipeline(commandsFor(again), deadline);
            for (std::size_t r = 0; r < again.size(); ++r) {
                replies[again[r]] = std::move(retried[r]);
                if (readAhead) replies[all.size() + again[r]] = std::move(retried[again.size() + r]);
            }
        }
        scripts.assign(std::make_move_iterator(replies.begin()),
                       std::make_move_iterator(replies.begin() + static_cast<std::ptrdiff_t>(all.size())));
        reads.assign(std::make_move_iterator(replies.begin() + static_cast<std::ptrdiff_t>(all.size())),
                     std::make_move_iterator(replies.end()));
        return true;
    });

    const std::string& endpoint = pool_.settings().endpoint();
    std::vector<std::size_t> again;
    for (std::size_t k = 0; k < pending.size(); ++k) {
        const redisReply& reply = *scripts[k];
        PreparedWrite& write = prepared[pending[k]];
        if (reply.type == REDIS_REPLY_ARRAY) {
            // The rocket is in filter sets the call did not declare: declare them.
            for (std::size_t e = 0; e < reply.elements; ++e) {
                expectReply(*reply.element[e], REDIS_REPLY_STRING, "undeclared filter set", endpoint);
                write.filters.push_back(replyText(*reply.element[e]));
            }
            again.push_back(pending[k]);
            continue;
        }
        expectReply(reply, REDIS_REPLY_INTEGER, casScript_.name(), endpoint);
        written[pending[k]] = reply.integer == 1;
        if (written[pending[k]] && readAhead) {
            pages.push_back({*write.channel, std::stoll(write.readFrom), ReadAhead::kLimit, std::move(reads[k])});
        }
    }
    return again;
}

std::vector<std::pair<std::string, std::int64_t>> RedisRocketStore::versions() {
    std::vector<std::pair<std::string, std::int64_t>> result;
    for (auto& [channel, version] : pool_.scanHash(versionsKey_)) {
        result.emplace_back(std::move(channel), parseInteger(std::string_view(version), "versions value"));
    }
    return result;
}

bool RedisRocketStore::subscribe(CommittedChangeListener listener) {
    std::lock_guard lock(feedMutex_);
    if (feed_) throw Poco::IllegalStateException("redis: the rocket store already has a subscription");
    feed_ = std::make_unique<RedisChangeFeed>(pool_.settings(), feedChannel_, std::move(listener));
    return true;
}

}  // namespace rockets::redis
