#include "RedisRocketStore.h"

#include "LogMember.h"
#include "RedisScripts.h"
#include "RocketRecord.h"
#include "SortKey.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"
#include "rockets/ThreadName.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

namespace rockets::redis {

namespace {

/// The list indexes, in the order reindex.lua receives them (KEYS[4..18]). The
/// channel index serves both directions (read backwards for descending).
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

/// Rounds of reindexing one page: the second declares the filter sets the first
/// reported; a third can only be needed if a rocket changed between the two.
constexpr int kMaxIndexRounds = 3;

}  // namespace

/// The arguments of one compare_and_set.lua call; ScriptCall views into them.
struct RedisRocketStore::PreparedWrite {
    const std::string* channel;
    std::string expected;
    std::string version;
    std::string record;
    std::string published;
    std::string log;       ///< for the read-ahead
    std::string readFrom;  ///< the number after the new version

    PreparedWrite(const RedisKeys& keys, const Rocket& rocket, std::int64_t expectedVersion)
        : channel(&rocket.channel),
          expected(std::to_string(expectedVersion)),
          version(std::to_string(rocket.lastMessageNumber)),
          record(RocketRecord::encode(rocket)),
          // Unlaunched rockets carry their version only: never listed, never published.
          published(rocket.visible() ? encodeRocket(rocket) : std::string()),
          log(keys.log(rocket.channel)),
          readFrom(std::to_string(rocket.lastMessageNumber + 1)) {}

    ScriptCall call(const RedisRocketStore& store) const {
        return {{store.versionsKey_, store.recordsKey_, store.staleKey_},
                {*channel, expected, version, record, published, store.feedChannel_}};
    }
};

/// The arguments of one reindex.lua call: a rocket's index members computed from
/// its record as read.
struct RedisRocketStore::PreparedIndex {
    std::string channel;
    std::string record;
    std::string entries;
    std::array<std::string, kIndexes.size()> members;
    std::vector<std::string> filters;  ///< the new filter sets, then the extra declared ones
    std::string newFilters;

    PreparedIndex(const RedisKeys& keys, std::string c, std::string r)
        : channel(std::move(c)), record(std::move(r)), entries(keys.entries(channel)) {
        const Rocket rocket = RocketRecord::decode(channel, record);
        if (rocket.visible()) {
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
        c.keys.push_back(store.staleKey_);
        c.keys.push_back(store.recordsKey_);
        c.keys.push_back(entries);
        c.keys.insert(c.keys.end(), store.indexKeys_.begin(), store.indexKeys_.end());
        c.keys.insert(c.keys.end(), filters.begin(), filters.end());
        c.args.reserve(3 + kIndexes.size());
        c.args.push_back(channel);
        c.args.push_back(record);
        c.args.insert(c.args.end(), members.begin(), members.end());
        c.args.push_back(newFilters);
        return c;
    }
};

RedisRocketStore::RedisRocketStore(RedisConnectionPool& pool, const RedisKeys& keys, RedisHealth& health,
                                   ReadAhead& readAhead, AppendPipeline& appends)
    : pool_(pool),
      keys_(keys),
      health_(health),
      readAhead_(readAhead),
      appends_(appends),
      casScript_("compare-and-set script", scripts::kCompareAndSetScript),
      listScript_("list script", scripts::kListScript),
      reindexScript_("reindex script", scripts::kReindexScript),
      recordsKey_(keys.records()),
      versionsKey_(keys.versions()),
      staleKey_(keys.stale()),
      feedChannel_(keys.feed(pool.settings().db)),
      throttle_(Poco::Logger::get("rockets.redis")),
      reindexQuiet_(pool.settings().reindexQuiet) {
    for (const auto& [field, descending] : kIndexes) indexKeys_.push_back(keys.index(SortKey::indexName(field, descending)));
    if (reindexQuiet_.count() > 0) quietThread_ = startNamedThread("redis-reindex", [this] { reindexWhenQuiet(); });
}

RedisRocketStore::~RedisRocketStore() {
    if (!quietThread_.joinable()) return;
    {
        std::lock_guard lock(reindexMutex_);
        stopping_ = true;
    }
    quietWake_.notify_one();
    quietThread_.join();
}

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
    if (auto page = listPage(query, true)) return std::move(*page);
    try {
        if (!reindex(Clock::now() + pool_.settings().timeout)) {
            throttle_.log(Poco::Message::PRIO_WARNING, "reindex:budget",
                          "redis: more rockets were written since the last list than can be indexed within " +
                              std::to_string(pool_.settings().timeout.count()) +
                              " ms; listing from the indexes as they are, the next list goes on");
        }
    } catch (const Poco::Exception& e) {
        // A Redis that refuses writes (READONLY, OOM) can still be read: serve the
        // indexes as they are rather than nothing. The write path reports the health.
        throttle_.log(Poco::Message::PRIO_WARNING, "reindex:" + e.message(),
                      "redis: listing from indexes that miss recent writes, updating them failed: " + e.message());
    }
    return std::move(*listPage(query, false));
}

std::optional<RocketPage> RedisRocketStore::listPage(const RocketQuery& requested, bool checkStale) {
    // A filter on the sort field leaves the page in channel order. The channel index has
    // the matches spread through it; the sort field's index has them in one stretch,
    // which a walk from its start reaches only after every rocket before it
    // (`sort=type&type=X`: up to 150 ms at 100,000 rockets).
    RocketQuery query = requested;
    if (filterFixesSort(query)) {
        query.sort = SortField::Channel;
        query.descending = false;
    }
    const bool backwards = query.sort == SortField::Channel && query.descending;
    const std::string index = keys_.index(SortKey::indexName(query.sort, query.descending));
    ScriptCall call;
    call.keys = {index, recordsKey_, staleKey_};
    std::vector<std::string> filters;
    if (query.status) filters.push_back(keys_.filter("status", toString(*query.status)));
    if (query.type) filters.push_back(keys_.filter("type", *query.type));
    if (query.mission) filters.push_back(keys_.filter("mission", *query.mission));
    call.keys.insert(call.keys.end(), filters.begin(), filters.end());
    const std::string offset = std::to_string(query.offset);
    const std::string limit = std::to_string(query.limit);
    call.args = {backwards ? "1" : "0", SortKey::separator(query.sort, query.descending), offset, limit,
                 checkStale ? "1" : "0"};

    auto reply = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
        auto r = listScript_.run(connection, call, deadline);
        connection.expect(*r, REDIS_REPLY_ARRAY, "list script");
        return r;
    });
    const std::string& endpoint = pool_.settings().endpoint();
    if (reply->elements == 0) throw StoreUnavailableException("redis: malformed list reply from " + endpoint);
    expectReply(*reply->element[0], REDIS_REPLY_INTEGER, "list total", endpoint);
    if (reply->element[0]->integer == -1) return std::nullopt;  // stale rockets: reindex first
    // -2: every match, unordered (few rockets matched the filters; see list.lua).
    const bool matches = reply->element[0]->integer == -2;
    const std::size_t first = matches ? 2 : 1;
    if (reply->elements < first || (reply->elements - first) % 2 != 0) {
        throw StoreUnavailableException("redis: malformed list reply from " + endpoint);
    }
    RocketPage page;
    expectReply(*reply->element[first - 1], REDIS_REPLY_INTEGER, "list total", endpoint);
    page.total = static_cast<std::size_t>(reply->element[first - 1]->integer);
    page.rockets.reserve((reply->elements - first) / 2);
    for (std::size_t i = first; i < reply->elements; i += 2) {
        expectReply(*reply->element[i], REDIS_REPLY_STRING, "list channel", endpoint);
        const std::string channel = replyText(*reply->element[i]);
        const redisReply& record = *reply->element[i + 1];
        // Records are never deleted: an index entry without one is damage.
        if (record.type == REDIS_REPLY_NIL) throw StoreCorruptException("redis: indexed rocket without a record: " + channel);
        expectReply(record, REDIS_REPLY_STRING, "list record", endpoint);
        page.rockets.push_back(RocketRecord::decode(channel, replyView(record)));
    }
    if (matches) {
        // Sort pointers: moving whole rockets (five strings each) through a sort of
        // thousands of matches cost more than comparing them.
        std::vector<Rocket*> order;
        order.reserve(page.rockets.size());
        for (Rocket& rocket : page.rockets) order.push_back(&rocket);
        const auto [from, to] = sortPage(order, query);
        std::vector<Rocket> slice;
        slice.reserve(to - from);
        for (std::size_t i = from; i < to; ++i) slice.push_back(std::move(*order[i]));
        page.rockets = std::move(slice);
    }
    return page;
}

bool RedisRocketStore::reindex(Clock::time_point budget) {
    // One at a time: a list() arriving during a reindex waits for it and then finds
    // little left to do, instead of doing the same work alongside it.
    // (A flag and a condition variable, not a timed_mutex: ThreadSanitizer does not
    // see the pthread_mutex_clocklock a timed try_lock_until uses.)
    {
        std::unique_lock lock(reindexMutex_);
        ++listsWaiting_;
        const bool free = reindexIdle_.wait_until(lock, budget, [&] { return !reindexing_; });
        --listsWaiting_;
        if (!free) {
            lock.unlock();
            quietWake_.notify_one();  // the background thread may have waited for this list
            return false;
        }
        reindexing_ = true;
    }
    struct Turn {
        RedisRocketStore& store;
        ~Turn() { store.endReindexTurn(); }
    } turn{*this};
    return reindexStale(budget);
}

void RedisRocketStore::endReindexTurn() {
    {
        std::lock_guard lock(reindexMutex_);
        reindexing_ = false;
    }
    reindexIdle_.notify_one();
    quietWake_.notify_one();
}

void RedisRocketStore::noteWritten() {
    if (!quietThread_.joinable()) return;
    bool wake = false;
    {
        std::lock_guard lock(reindexMutex_);
        lastWrite_ = Clock::now();
        wake = !written_;
        written_ = true;
    }
    if (wake) quietWake_.notify_one();
}

void RedisRocketStore::reindexWhenQuiet() {
    std::unique_lock lock(reindexMutex_);
    for (;;) {
        quietWake_.wait(lock, [&] { return stopping_ || written_; });
        if (stopping_) return;
        const Clock::time_point quietAt = lastWrite_ + reindexQuiet_;
        if (Clock::now() < quietAt) {
            // Writes keep coming: they pay for nothing here until they pause.
            quietWake_.wait_until(lock, quietAt, [&] { return stopping_; });
            continue;
        }
        if (reindexing_ || listsWaiting_ > 0) {
            quietWake_.wait(lock, [&] { return stopping_ || (!reindexing_ && listsWaiting_ == 0); });
            continue;
        }
        reindexing_ = true;
        written_ = false;
        lock.unlock();
        bool complete = false;
        std::optional<std::string> failure;
        try {
            complete = reindexStale(Clock::now() + kBackgroundSlice);
        } catch (const Poco::Exception& e) {
            failure = e.message();
        } catch (const std::exception& e) {
            failure = e.what();
        }
        endReindexTurn();
        if (failure) {
            throttle_.log(Poco::Message::PRIO_WARNING, "reindex:" + *failure,
                          "redis: bringing the list indexes up to date failed, trying again in " +
                              std::to_string(pool_.settings().timeout.count()) + " ms: " + *failure);
        }
        lock.lock();
        if (!complete) written_ = true;  // the next turn goes on
        if (failure) quietWake_.wait_for(lock, pool_.settings().timeout, [&] { return stopping_; });
    }
}

bool RedisRocketStore::reindexStale(Clock::time_point budget) {
    const std::string& endpoint = pool_.settings().endpoint();
    const std::string count = std::to_string(kReindexPage);
    std::string cursor = "0";
    do {
        // SSCAN returns every member that is in the set for the whole scan: each
        // rocket written before list() began is reindexed (or was, by someone else).
        auto scan = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
            auto r = connection.command({"SSCAN", staleKey_, cursor, "COUNT", count}, deadline);
            connection.expect(*r, REDIS_REPLY_ARRAY, "SSCAN of stale rockets");
            return r;
        });
        if (scan->elements != 2) throw StoreUnavailableException("redis: malformed SSCAN reply from " + endpoint);
        expectReply(*scan->element[0], REDIS_REPLY_STRING, "SSCAN cursor", endpoint);
        expectReply(*scan->element[1], REDIS_REPLY_ARRAY, "SSCAN members", endpoint);
        cursor = replyText(*scan->element[0]);
        const redisReply& members = *scan->element[1];
        if (members.elements == 0) continue;
        std::vector<std::string> channels;
        channels.reserve(members.elements);
        for (std::size_t i = 0; i < members.elements; ++i) {
            expectReply(*members.element[i], REDIS_REPLY_STRING, "stale rocket", endpoint);
            channels.push_back(replyText(*members.element[i]));
        }
        Command hmget = {"HMGET", recordsKey_};
        hmget.insert(hmget.end(), channels.begin(), channels.end());
        auto records = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
            auto r = connection.command(hmget, deadline);
            connection.expect(*r, REDIS_REPLY_ARRAY, "HMGET of stale rockets");
            return r;
        });
        if (records->elements != channels.size()) throw StoreUnavailableException("redis: short HMGET reply from " + endpoint);
        std::vector<PreparedIndex> prepared;
        prepared.reserve(channels.size());
        for (std::size_t i = 0; i < channels.size(); ++i) {
            const redisReply& record = *records->element[i];
            try {
                // Marked stale only together with writing a record, which is never deleted.
                if (record.type != REDIS_REPLY_STRING) throw StoreCorruptException("redis: stale rocket without a record");
                prepared.emplace_back(keys_, channels[i], replyText(record));
            } catch (const StoreCorruptException& e) {
                // One damaged rocket must not stop every list: it stays stale and unlisted.
                throttle_.log(Poco::Message::PRIO_ERROR, "corrupt:" + channels[i],
                              "redis: cannot index rocket " + channels[i] + ": " + e.message());
            }
        }
        if (!reindexPage(prepared, budget)) return false;
    } while (cursor != "0");
    return true;
}

bool RedisRocketStore::reindexPage(std::vector<PreparedIndex>& prepared, Clock::time_point budget) {
    const std::string& endpoint = pool_.settings().endpoint();
    std::vector<std::size_t> pending(prepared.size());
    for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;
    for (int round = 0; !pending.empty(); ++round) {
        if (round == kMaxIndexRounds) {
            throw StoreUnavailableException("redis: the reindex script keeps asking for other filter sets");
        }
        std::vector<ScriptCall> calls;
        calls.reserve(pending.size());
        for (std::size_t i : pending) calls.push_back(prepared[i].call(*this));
        // Pipelines of kReindexBatch: each round trip stays well inside one timeout
        // and never holds Redis for long.
        std::vector<ReplyPtr> replies;
        replies.reserve(calls.size());
        for (std::size_t first = 0; first < calls.size(); first += kReindexBatch) {
            if (Clock::now() >= budget) return false;
            const std::vector<ScriptCall> batch(
                calls.begin() + static_cast<std::ptrdiff_t>(first),
                calls.begin() + static_cast<std::ptrdiff_t>(std::min(calls.size(), first + kReindexBatch)));
            auto part = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
                return reindexScript_.runMany(connection, batch, deadline);
            });
            for (auto& reply : part) replies.push_back(std::move(reply));
        }
        std::vector<std::size_t> again;
        for (std::size_t k = 0; k < pending.size(); ++k) {
            const redisReply& reply = *replies[k];
            if (reply.type == REDIS_REPLY_ARRAY) {
                // The rocket is in filter sets the call did not declare: declare them.
                for (std::size_t e = 0; e < reply.elements; ++e) {
                    expectReply(*reply.element[e], REDIS_REPLY_STRING, "undeclared filter set", endpoint);
                    prepared[pending[k]].filters.push_back(replyText(*reply.element[e]));
                }
                again.push_back(pending[k]);
                continue;
            }
            // 0: rewritten meanwhile, and marked stale again by that write.
            expectReply(reply, REDIS_REPLY_INTEGER, reindexScript_.name(), endpoint);
        }
        pending = std::move(again);
    }
    return true;
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
    std::vector<ScriptCall> calls;
    calls.reserve(prepared.size());
    for (const PreparedWrite& w : prepared) calls.push_back(w.call(*this));

    const bool readAhead = readAhead_.wanted();
    const std::string limit = std::to_string(ReadAhead::kLimit);
    std::vector<std::string> counts(calls.size());
    // The scripts of `which` (indexes into `calls`), then, after all of them, their read-ahead.
    auto commandsFor = [&](const std::vector<std::size_t>& which) {
        std::vector<Command> commands;
        commands.reserve(2 * which.size());
        for (std::size_t k : which) commands.push_back(casScript_.command(calls[k], counts[k]));
        if (readAhead) {
            for (std::size_t k : which) {
                commands.push_back({"ZRANGEBYSCORE", prepared[k].log, prepared[k].readFrom, "+inf", "LIMIT", "0", limit});
            }
        }
        return commands;
    };
    std::vector<std::size_t> all(calls.size());
    for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;

    // Taken before the reads are sent: a page is not kept past an append answered after it.
    std::vector<ReadAhead::Mark> marks;
    if (readAhead) {
        marks.reserve(writes.size());
        for (const RocketWrite& w : writes) marks.push_back(readAhead_.mark(w.rocket.channel));
    }
    std::vector<ReplyPtr> replies;
    try {
        const std::vector<Command> commands = commandsFor(all);
        if (auto carried = appends_.ride(commands, Clock::now() + pool_.settings().timeout)) {
            replies = std::move(*carried);
        } else {
            replies = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
                return connection.pipeline(commands, deadline);
            });
        }
        std::vector<std::size_t> again;  // NOSCRIPT: those did not run
        for (std::size_t k = 0; k < all.size(); ++k) {
            if (RedisScript::isNoScript(*replies[k])) again.push_back(k);
        }
        if (!again.empty()) {
            std::vector<ReplyPtr> retried = pool_.run([&](RedisConnection& connection, Clock::time_point deadline) {
                casScript_.load(connection, deadline);
                return connection.pipeline(commandsFor(again), deadline);
            });
            for (std::size_t i = 0; i < again.size(); ++i) {
                replies[again[i]] = std::move(retried[i]);
                if (readAhead) replies[all.size() + again[i]] = std::move(retried[again.size() + i]);
            }
        }
        const std::string& endpoint = pool_.settings().endpoint();
        for (std::size_t k = 0; k < all.size(); ++k) {
            expectReply(*replies[k], REDIS_REPLY_INTEGER, casScript_.name(), endpoint);
            written[k] = replies[k]->integer == 1;
        }
    } catch (const Poco::Exception& e) {
        health_.writeFailed(e.message());
        throw;
    }
    health_.writeSucceeded();
    if (std::find(written.begin(), written.end(), true) != written.end()) noteWritten();
    if (readAhead) keepReadAhead(writes, written, replies, marks);
    return written;
}

void RedisRocketStore::keepReadAhead(const std::vector<RocketWrite>& writes, const std::vector<bool>& written,
                                     const std::vector<ReplyPtr>& replies, const std::vector<ReadAhead::Mark>& marks) {
    const std::string& endpoint = pool_.settings().endpoint();
    for (std::size_t k = 0; k < writes.size(); ++k) {
        if (!written[k]) continue;  // a write that did not happen is no place to read on from
        const redisReply& page = *replies[writes.size() + k];
        try {
            std::vector<Message> messages = LogMember::decodeAll(writes[k].rocket.channel, page, endpoint);
            const bool complete = messages.size() < ReadAhead::kLimit;
            readAhead_.put(writes[k].rocket.channel,
                           {writes[k].rocket.lastMessageNumber + 1, std::move(messages), complete}, marks[k]);
        } catch (const Poco::Exception&) {
            // The committed write stands; the consumer's own read will report the damage.
        }
    }
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
    // The previous feed's thread is joined first: once this returns its listener never
    // runs again, and the two listeners never run at the same time.
    feed_.reset();
    if (listener.changed || listener.lost) {
        feed_ = std::make_unique<RedisChangeFeed>(pool_.settings(), feedChannel_, std::move(listener));
    }
    return true;
}

}  // namespace rockets::redis
