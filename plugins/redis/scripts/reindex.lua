-- Brings one rocket's entries in the list indexes and filter sets up to date with
-- its record, if the record is still the one the caller computed them from, and
-- then takes the rocket off the stale set, atomically.
-- KEYS[1]      channels whose index entries may be stale (SET)
-- KEYS[2]      rocket records (HASH channel -> record)
-- KEYS[3]      the rocket's entries (HASH: index key -> its member there,
--              'filter:<field>' -> the filter SET holding the channel)
-- KEYS[4..18]  the 15 sort indexes (ZSETs, every score 0)
-- KEYS[19..]   filter SETs: first the new ones (status, type, mission; none when the
--              rocket is not visible), then SETs the channel may have to leave
-- ARGV[1]      channel
-- ARGV[2]      the record the entries below were computed from
-- ARGV[3..17]  the rocket's member in each sort index of KEYS[4..18] ('' = none)
-- ARGV[18]     how many of KEYS[19..] are new filter SETs (0 or 3)
-- Returns 1 when the entries were updated, 0 when the record changed meanwhile (the
-- write that changed it marked the rocket stale again), or the list of filter SETs
-- the rocket is in that were not declared: call again with them added to KEYS.
local stale, records, entries = KEYS[1], KEYS[2], KEYS[3]
local channel = ARGV[1]
local firstIndex, indexCount, firstFilter = 4, 15, 19
local filterFields = {'filter:status', 'filter:type', 'filter:mission'}

if redis.call('HGET', records, channel) ~= ARGV[2] then return 0 end

local old = {}
local stored = redis.call('HGETALL', entries)
for i = 1, #stored, 2 do old[stored[i]] = stored[i + 1] end

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
  local index, member = KEYS[firstIndex + i], ARGV[3 + i]
  local was = old[index]
  if member == '' then member = nil end
  if was ~= member then
    if was then redis.call('ZREM', index, was) end
    if member then redis.call('ZADD', index, 0, member) end
    remember(index, member)
  end
end

local newFilters = tonumber(ARGV[18])
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
redis.call('SREM', stale, channel)
return 1
