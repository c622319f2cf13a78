-- RocketStore::compareAndSet: write a rocket only if its stored version is the
-- expected one, keeping the list indexes and filter sets in step, and publish the
-- committed rocket on the change feed, atomically.
-- KEYS[1]      versions (HASH channel -> version; absent = 0)
-- KEYS[2]      rocket records (HASH channel -> record)
-- KEYS[3]      the rocket's entries (HASH: index key -> its member there,
--              'filter:<field>' -> the filter SET key holding the channel)
-- KEYS[4..18]  the 15 sort indexes (ZSETs)
-- KEYS[19..]   filter SETs: first the new ones (status, type, mission; none when the
--              rocket is not visible), then SETs the channel may have to leave
-- ARGV[1]      channel
-- ARGV[2]      expected version
-- ARGV[3]      new version
-- ARGV[4]      new record
-- ARGV[5]      the rocket as published on the feed ('' publishes nothing)
-- ARGV[6]      the feed's pub/sub channel
-- ARGV[7..21]  the rocket's member in each sort index of KEYS[4..18] ('' = none)
-- ARGV[22]     how many of KEYS[19..] are new filter SETs (0 or 3)
-- Returns 1 when written, 0 when the stored version differs (nothing changed), or
-- the list of filter SETs the rocket is in that were not declared: call again with
-- them added to KEYS (nothing changed either).
local versions, records, entries = KEYS[1], KEYS[2], KEYS[3]
local channel, expected = ARGV[1], ARGV[2]
local firstIndex, indexCount, firstFilter = 4, 15, 19
local filterFields = {'filter:status', 'filter:type', 'filter:mission'}

local current = redis.call('HGET', versions, channel)
if (current or '0') ~= expected then return 0 end

local old = {}
if current then
  local stored = redis.call('HGETALL', entries)
  for i = 1, #stored, 2 do old[stored[i]] = stored[i + 1] end
end

local declared = {}
for i = firstFilter, #KEYS do declared[KEYS[i]] = true end
local undeclared = {}
for _, field in ipairs(filterFields) do
  local set = old[field]
  if set and not declared[set] then undeclared[#undeclared + 1] = set end
end
if #undeclared > 0 then return undeclared end

local changed, removed = {}, {}
local function remember(field, value)
  if value then
    changed[#changed + 1] = field
    changed[#changed + 1] = value
  else
    removed[#removed + 1] = field
  end
end

for i = 0, indexCount - 1 do
  local index, member = KEYS[firstIndex + i], ARGV[7 + i]
  local was = old[index]
  if member == '' then member = nil end
  if was ~= member then
    if was then redis.call('ZREM', index, was) end
    if member then redis.call('ZADD', index, 0, member) end
    remember(index, member)
  end
end

local newFilters = tonumber(ARGV[22])
for i, field in ipairs(filterFields) do
  local was, set = old[field], nil
  if i <= newFilters then set = KEYS[firstFilter + i - 1] end
  if was ~= set then
    if was then redis.call('SREM', was, channel) end
    if set then redis.call('SADD', set, channel) end
    remember(field, set)
  end
end

if #changed > 0 then redis.call('HSET', entries, unpack(changed)) end
if #removed > 0 then redis.call('HDEL', entries, unpack(removed)) end
redis.call('HSET', records, channel, ARGV[4])
redis.call('HSET', versions, channel, ARGV[3])
if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[6], ARGV[5]) end
return 1
