-- EventStore::append: store one message unless its key exists, atomically.
-- KEYS[1]  the channel's log (ZSET scored by messageNumber)
-- KEYS[2]  heads (HASH channel -> highest stored messageNumber)
-- KEYS[3]  the change feed of the sweep (ZSET channel -> sequence of its last append)
-- KEYS[4]  the sequence counter behind KEYS[3]
-- ARGV[1]  messageNumber
-- ARGV[2]  identity: "<number>\n<type>\n<payload JSON>\n" (the member up to the time)
-- ARGV[3]  messageTime (ends the member; not part of the identity)
-- ARGV[4]  channel
-- ARGV[5]  base of a new sequence (random, so a cursor of an emptied store is not
--          mistaken for one of its successor)
-- Returns 0 Stored, 1 Duplicate (same identity), 2 Conflict (same number, other
-- identity), 3 Stored and the channel's highest number (no higher one is stored).
local log, heads, changes, sequence = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local number, identity, channel = ARGV[1], ARGV[2], ARGV[4]

local found = redis.call('ZRANGEBYSCORE', log, number, number, 'LIMIT', 0, 1)
if #found > 0 then
  if string.sub(found[1], 1, #identity) == identity then return 1 end
  return 2
end
redis.call('ZADD', log, number, identity .. ARGV[3])
local head = redis.call('HGET', heads, channel)
local highest = (not head) or tonumber(head) < tonumber(number)
if highest then redis.call('HSET', heads, channel, number) end
local position = redis.call('INCR', sequence)
if position == 1 then position = redis.call('INCRBY', sequence, ARGV[5]) end
redis.call('ZADD', changes, position, channel)
if highest then return 3 end
return 0
