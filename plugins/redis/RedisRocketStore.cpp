#include "RedisRocketStore.h"

#include "SortKey.h"

#include "rockets/StoreErrors.h"

#include <array>
#include <charconv>

namespace rockets::redis {

namespace {

// KEYS: rocket hash, versions hash. ARGV: expected version, channel, new version,
// key prefix, then field/value pairs of the new hash. Fields `ix:<index>` are
// members of ZSET <prefix>idx:<index>; `fx:<field>` values name the SET
// <prefix>f:<field>:<value> holding the channel. Returns 1 when written, 0 when
// the stored version differs. Index keys are built here from the prefix: the
// projection needs global keys (see docs/redis.md on Cluster).
constexpr const char* kCompareAndSetScript = R"lua(
local current = redis.call('HGET', KEYS[1], 'v')
local version = 0
if current then version = tonumber(current) end
if version ~= tonumber(ARGV[1]) then return 0 end
local prefix, channel = ARGV[4], ARGV[2]
local old = {}
if current then
  local fields = redis.call('HGETALL', KEYS[1])
  for i = 1, #fields, 2 do old[fields[i]] = fields[i + 1] end
end
local function unindex(f, value)
  local kind = string.sub(f, 1, 3)
  if kind == 'ix:' then redis.call('ZREM', prefix .. 'idx:' .. string.sub(f, 4), value)
  elseif kind == 'fx:' then redis.call('SREM', prefix .. 'f:' .. string.sub(f, 4) .. ':' .. value, channel) end
end
local function index(f, value)
  local kind = string.sub(f, 1, 3)
  if kind == 'ix:' then redis.call('ZADD', prefix .. 'idx:' .. string.sub(f, 4), 0, value)
  elseif kind == 'fx:' then redis.call('SADD', prefix .. 'f:' .. string.sub(f, 4) .. ':' .. value, channel) end
end
local new, pairs = {}, {}
for i = 5, #ARGV, 2 do
  local f, value = ARGV[i], ARGV[i + 1]
  new[f] = true
  pairs[#pairs + 1] = f
  pairs[#pairs + 1] = value
  if old[f] ~= value then
    if old[f] then unindex(f, old[f]) end
    index(f, value)
  end
end
for f, value in next, old do
  if not new[f] then unindex(f, value) end
end
if current then redis.call('DEL', KEYS[1]) end
redis.call('HSET', KEYS[1], unpack(pairs))
redis.call('HSET', KEYS[2], channel, ARGV[3])
return 1
)lua";

// ARGV: key prefix, index name, "1" to read the index backwards, separator before
// the channel in members ("" when members are channels), offset, limit, then the
// filter SET keys. Returns {total, {channel, <kRocketFields>...}, ...}.
// Unfiltered pages are a rank range. Filtered ones count matches with
// SINTERCARD and walk the index in order, testing each channel against the
// filter sets, until the page is full: cost bounded by the position of the
// page's last match in the index, never more than the number of visible rockets.
constexpr const char* kListScript = R"lua(
local prefix, index, backwards, sep = ARGV[1], ARGV[1] .. 'idx:' .. ARGV[2], ARGV[3] == '1', ARGV[4]
local offset, limit = tonumber(ARGV[5]), tonumber(ARGV[6])
local filters = {}
for i = 7, #ARGV do filters[#filters + 1] = ARGV[i] end
local total
if #filters == 0 then total = redis.call('ZCARD', index)
elseif #filters == 1 then total = redis.call('SCARD', filters[1])
else total = redis.call('SINTERCARD', #filters, unpack(filters)) end
local result = {total}
if offset >= total or limit <= 0 then return result end
local range = 'ZRANGE'
if backwards then range = 'ZREVRANGE' end
local function channelOf(member)
  if sep == '' then return member end
  local at = string.find(member, sep, 1, true)
  return string.sub(member, at + 1)
end
local channels = {}
if #filters == 0 then
  for _, member in ipairs(redis.call(range, index, offset, offset + limit - 1)) do
    channels[#channels + 1] = channelOf(member)
  end
else
  local position, skipped, chunk = 0, 0, 512
  while #channels < limit do
    local members = redis.call(range, index, position, position + chunk - 1)
    if #members == 0 then break end
    for _, member in ipairs(members) do
      local channel = channelOf(member)
      local matches = true
      for _, f in ipairs(filters) do
        if redis.call('SISMEMBER', f, channel) == 0 then matches = false break end
      end
      if matches then
        if skipped < offset then skipped = skipped + 1
        else
          channels[#channels + 1] = channel
          if #channels >= limit then break end
        end
      end
    end
    position = position + chunk
  end
end
for _, channel in ipairs(channels) do
  local fields = redis.call('HMGET', prefix .. '{' .. channel .. '}:rocket',
    'v', 'type', 'speed', 'mission', 'status', 'reason', 'launchedAt', 'updatedAt')
  table.insert(fields, 1, channel)
  result[#result + 1] = fields
end
return result
)lua";

/// The data fields of a rocket hash, in the order decodeRocket reads them.
constexpr std::array<std::string_view, 8> kRocketFields = {"v",      "type",   "speed",      "mission",
                                                           "status", "reason", "launchedAt", "updatedAt"};

constexpr std::array<SortField, 8> kSortFields = {SortField::Channel,    SortField::Type,      SortField::Mission,
                                                  SortField::Speed,      SortField::Status,    SortField::LaunchedAt,
                                                  SortField::UpdatedAt, SortField::LastMessageNumber};

std::int64_t integerField(const redisReply& reply, std::string_view what) {
    expectReply(reply, REDIS_REPLY_STRING, what);
    return parseInteger(std::string_view(reply.str, reply.len), what);
}

std::string stringField(const redisReply& reply, std::string_view what) {
    expectReply(reply, REDIS_REPLY_STRING, what);
    return replyText(reply);
}

/// A rocket from the values of kRocketFields (elements [first, first + 8) of `array`).
Rocket decodeRocket(const std::string& channel, const redisReply& array, std::size_t first) {
    if (array.elements < first + kRocketFields.size()) throw StoreUnavailableException("redis: short rocket reply");
    auto at = [&](std::size_t i) -> const redisReply& { return *array.element[first + i]; };
    Rocket rocket;
    rocket.channel = channel;
    rocket.lastMessageNumber = integerField(at(0), "rocket version");
    rocket.type = stringField(at(1), "rocket type");
    rocket.speed = integerField(at(2), "rocket speed");
    rocket.mission = stringField(at(3), "rocket mission");
    const std::string status = stringField(at(4), "rocket status");
    if (status == toString(RocketStatus::Unlaunched)) rocket.status = RocketStatus::Unlaunched;
    else if (auto parsed = rocketStatusFromString(status)) rocket.status = *parsed;
    else throw StoreCorruptException("redis: unknown rocket status " + status);
    if (at(5).type != REDIS_REPLY_NIL) rocket.reason = stringField(at(5), "rocket reason");
    rocket.launchedAt = stringField(at(6), "rocket launchedAt");
    rocket.updatedAt = stringField(at(7), "rocket updatedAt");
    return rocket;
}

/// The field/value pairs of the rocket hash, index and filter entries included.
std::vector<std::string> hashFields(const Rocket& rocket) {
    std::vector<std::string> out = {"v",       std::to_string(rocket.lastMessageNumber),
                                    "type",    rocket.type,
                                    "speed",   std::to_string(rocket.speed),
                                    "mission", rocket.mission,
                                    "status",  std::string(toString(rocket.status)),
                                    "launchedAt", rocket.launchedAt,
                                    "updatedAt",  rocket.updatedAt};
    if (rocket.reason) {
        out.push_back("reason");
        out.push_back(*rocket.reason);
    }
    if (!rocket.visible()) return out;  // stored for its version, never listed
    for (SortField field : kSortFields) {
        for (bool descending : {false, true}) {
            if (field == SortField::Channel && descending) continue;  // one index serves both ways
            out.push_back("ix:" + SortKey::indexName(field, descending));
            out.push_back(SortKey::member(rocket, field, descending));
        }
    }
    out.insert(out.end(), {"fx:status", std::string(toString(rocket.status)), "fx:type", rocket.type, "fx:mission",
                           rocket.mission});
    return out;
}

}  // namespace

RedisRocketStore::RedisRocketStore() : casScript_(kCompareAndSetScript), listScript_(kListScript) {}

RedisRocketStore::~RedisRocketStore() = default;

void RedisRocketStore::open(const Poco::Util::AbstractConfiguration& config) {
    auto settings = RedisSettings::fromConfig(config);
    keys_.emplace(settings.keyPrefix);
    pool_ = std::make_unique<RedisConnectionPool>(std::move(settings));
    pool_->ping();
}

RedisConnectionPool& RedisRocketStore::pool() {
    if (!pool_) throw StoreUnavailableException("redis rocket store used before open()");
    return *pool_;
}

std::optional<Rocket> RedisRocketStore::get(const std::string& channel) {
    const std::string key = keys_->rocket(channel);
    auto reply = pool().run([&](RedisConnection& connection, Clock::time_point deadline) {
        std::vector<std::string_view> argv = {"HMGET", key};
        argv.insert(argv.end(), kRocketFields.begin(), kRocketFields.end());
        auto r = connection.command(argv, deadline);
        expectReply(*r, REDIS_REPLY_ARRAY, "HMGET rocket");
        return r;
    });
    if (reply->elements != kRocketFields.size()) throw StoreUnavailableException("redis: short HMGET reply");
    if (reply->element[0]->type == REDIS_REPLY_NIL) return std::nullopt;
    return decodeRocket(channel, *reply, 0);
}

RocketPage RedisRocketStore::list(const RocketQuery& query) {
    const bool backwards = query.sort == SortField::Channel && query.descending;
    std::vector<std::string> args = {keys_->prefix(),
                                     SortKey::indexName(query.sort, query.descending),
                                     backwards ? "1" : "0",
                                     std::string(SortKey::separator(query.sort, query.descending)),
                                     std::to_string(query.offset),
                                     std::to_string(query.limit)};
    if (query.status) args.push_back(keys_->filter("status", toString(*query.status)));
    if (query.type) args.push_back(keys_->filter("type", *query.type));
    if (query.mission) args.push_back(keys_->filter("mission", *query.mission));
    const std::vector<std::string_view> argv(args.begin(), args.end());

    auto reply = pool().run([&](RedisConnection& connection, Clock::time_point deadline) {
        auto r = listScript_.run(connection, {}, argv, deadline);
        expectReply(*r, REDIS_REPLY_ARRAY, "list script");
        return r;
    });
    if (reply->elements == 0) throw StoreUnavailableException("redis: empty list reply");
    expectReply(*reply->element[0], REDIS_REPLY_INTEGER, "list total");
    RocketPage page;
    page.total = static_cast<std::size_t>(reply->element[0]->integer);
    page.rockets.reserve(reply->elements - 1);
    for (std::size_t i = 1; i < reply->elements; ++i) {
        const redisReply& row = *reply->element[i];
        expectReply(row, REDIS_REPLY_ARRAY, "list row");
        if (row.elements == 0) throw StoreUnavailableException("redis: empty list row");
        const std::string channel = stringField(*row.element[0], "list channel");
        // A channel whose hash vanished between index and read cannot happen inside
        // one script; treat it as corruption rather than skipping silently.
        if (row.elements > 1 && row.element[1]->type == REDIS_REPLY_NIL) {
            throw StoreCorruptException("redis: indexed rocket without data: " + channel);
        }
        page.rockets.push_back(decodeRocket(channel, row, 1));
    }
    return page;
}

bool RedisRocketStore::compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) {
    const std::string key = keys_->rocket(rocket.channel);
    const std::string versions = keys_->versions();
    const std::string expected = std::to_string(expectedVersion);
    const std::string version = std::to_string(rocket.lastMessageNumber);
    const std::vector<std::string> fields = hashFields(rocket);
    std::vector<std::string_view> argv = {expected, rocket.channel, version, keys_->prefix()};
    argv.insert(argv.end(), fields.begin(), fields.end());
    return pool().run([&](RedisConnection& connection, Clock::time_point deadline) {
        auto reply = casScript_.run(connection, {key, versions}, argv, deadline);
        expectReply(*reply, REDIS_REPLY_INTEGER, "compare-and-set script");
        return reply->integer == 1;
    });
}

std::vector<std::pair<std::string, std::int64_t>> RedisRocketStore::versions() {
    std::vector<std::pair<std::string, std::int64_t>> result;
    for (auto& [channel, version] : pool().scanHash(keys_->versions())) {
        result.emplace_back(std::move(channel), parseInteger(std::string_view(version), "versions value"));
    }
    return result;
}

}  // namespace rockets::redis
