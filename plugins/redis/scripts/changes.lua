-- EventStore::changedSince, first page: the sequence and the channels appended to
-- after the cursor, read together so that the returned sequence covers the page.
-- KEYS[1]  the sequence counter (absent: nothing was ever appended)
-- KEYS[2]  the change feed (ZSET channel -> sequence of its last append)
-- ARGV[1]  cursor (a sequence returned earlier, or 0)
-- ARGV[2]  page size
-- Returns {sequence, {channel, score, channel, score, ...}}: the channels with
-- cursor < score <= sequence, ascending by score. A sequence below the cursor means
-- the store was emptied or replaced since: then every channel is returned.
local sequence = redis.call('GET', KEYS[1]) or '0'
local from = '(' .. ARGV[1]
if tonumber(sequence) < tonumber(ARGV[1]) then from = '-inf' end
return {sequence, redis.call('ZRANGEBYSCORE', KEYS[2], from, sequence, 'WITHSCORES', 'LIMIT', 0, ARGV[2])}
