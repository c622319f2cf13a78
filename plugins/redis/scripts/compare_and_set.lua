-- RocketStore::compareAndSet: write a rocket only if its stored version is the
-- expected one, mark it for the list indexes, and publish it on the change feed,
-- atomically. The indexes themselves are brought up to date by reindex.lua when the
-- rockets are next listed (docs/decisions/2026-11-27-redis-pipelining.md).
-- KEYS[1]  versions (HASH channel -> version; absent = 0)
-- KEYS[2]  rocket records (HASH channel -> record)
-- KEYS[3]  channels whose index entries may be stale (SET)
-- ARGV[1]  channel
-- ARGV[2]  expected version
-- ARGV[3]  new version
-- ARGV[4]  new record
-- ARGV[5]  the rocket as published on the feed ('' publishes nothing)
-- ARGV[6]  the feed's pub/sub channel
-- Returns 1 when written, 0 when the stored version differs (nothing changed).
local versions, records, stale = KEYS[1], KEYS[2], KEYS[3]
local channel = ARGV[1]

if (redis.call('HGET', versions, channel) or '0') ~= ARGV[2] then return 0 end
redis.call('HSET', records, channel, ARGV[4])
redis.call('HSET', versions, channel, ARGV[3])
redis.call('SADD', stale, channel)
if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[6], ARGV[5]) end
return 1
