-- RocketStore::list: one page of visible rockets in the order of one sort index,
-- with the number of rockets matching the filters.
-- KEYS[1]     the sort index (ZSET, every score 0, members "<encoded value><sep><channel>"
--             or bare channels for the channel index)
-- KEYS[2]     the rocket records (HASH channel -> record)
-- KEYS[3]     channels whose index entries may be stale (SET)
-- KEYS[4..]   filter SETs of the query (channels of visible rockets with that value)
-- ARGV[1]     '1' to read the index backwards
-- ARGV[2]     the byte that ends the encoded value in members ('' for bare channels)
-- ARGV[3]     offset
-- ARGV[4]     limit
-- ARGV[5]     '1' to answer {-1} instead of a page while KEYS[3] is not empty (the
--             caller reindexes those rockets first)
-- Returns {total, channel, record, channel, record, ...}: the page; or
-- {-2, total, channel, record, ...}: every match, unordered, for the caller to sort.
-- Unfiltered pages are a rank range. Filtered ones count matches with SCARD or
-- SINTERCARD. Then, when many rockets match, the script walks the index in order,
-- testing each channel against the filter sets, until the page is full: about
-- (offset + limit) * visible / total index entries. When few match, it hands every
-- match over instead: `total` members and records, which is fewer when
-- (offset + limit) * visible >= total^2. Walking for a filter that matched 263 of
-- 95,121 rockets took Redis 300 ms, every other command waiting.
local index, records, stale = KEYS[1], KEYS[2], KEYS[3]
local backwards, separator = ARGV[1] == '1', ARGV[2]
local offset, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
if ARGV[5] == '1' and redis.call('SCARD', stale) > 0 then return {-1} end
local filters = {}
for i = 4, #KEYS do filters[#filters + 1] = KEYS[i] end

local total
if #filters == 0 then total = redis.call('ZCARD', index)
elseif #filters == 1 then total = redis.call('SCARD', filters[1])
else total = redis.call('SINTERCARD', #filters, unpack(filters)) end
local result = {total}
if offset >= total or limit <= 0 then return result end

local range = 'ZRANGE'
if backwards then range = 'ZREVRANGE' end
local function channelOf(member)
  if separator == '' then return member end
  local at = string.find(member, separator, 1, true)
  return string.sub(member, at + 1)
end

-- HMGET in slices: unpack() is limited by the Lua C stack (about 8000 values).
local function appendRecords(channels)
  for first = 1, #channels, 1000 do
    local slice = {}
    for i = first, math.min(first + 999, #channels) do slice[#slice + 1] = channels[i] end
    local found = redis.call('HMGET', records, unpack(slice))
    for i, channel in ipairs(slice) do
      result[#result + 1] = channel
      result[#result + 1] = found[i]
    end
  end
end

if #filters > 0 and (offset + limit) * redis.call('ZCARD', index) >= total * total then
  local matches
  if #filters == 1 then matches = redis.call('SMEMBERS', filters[1])
  else matches = redis.call('SINTER', unpack(filters)) end
  result = {-2, total}
  appendRecords(matches)
  return result
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
      for _, filter in ipairs(filters) do
        if redis.call('SISMEMBER', filter, channel) == 0 then matches = false break end
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
appendRecords(channels)
return result
