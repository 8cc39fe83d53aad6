-- Shared by every Courier script (prepended to each). Keys, for a room R and an instance I:
--   courier:room:R:state    hash: epoch, seq (last message's number), joins (counter for the joining order)
--   courier:room:R:members  hash: member name -> instance id owning it (names are unique per room)
--   courier:room:R:order    sorted set: member name scored by its joining number
--   courier:room:R:history  stream of the last messages, entry id SEQ-0, field m = the published payload
--   courier:instances       set of instance ids;  courier:instance:I  heartbeat key with a TTL
--   courier:instance:I:members  set of "ROOM\nNAME" the instance owns (names and rooms hold no control chars)
-- Channel courier:room:R carries the room's events: "j\nINSTANCE\nNAME", "l\nINSTANCE\nREASON\nNAME",
-- "m\nSEQ\nEPOCH\nHEADER-JSON\nBODY". Keys are built here, not passed: one Redis (not Redis Cluster).
local P = 'courier:'
local INSTANCES = P .. 'instances'
local EMPTY_TTL_MS = 3600000

local function room_keys(room)
  local base = P .. 'room:' .. room .. ':'
  return base .. 'state', base .. 'members', base .. 'order', base .. 'history'
end

local function channel(room)
  return P .. 'room:' .. room
end

local function instance_key(id)
  return P .. 'instance:' .. id
end

local function instance_members(id)
  return P .. 'instance:' .. id .. ':members'
end

-- A room without state (new, or its keys lost) starts a new epoch with an empty history.
local function ensure_state(state, history, new_epoch)
  if redis.call('HSETNX', state, 'epoch', new_epoch) == 1 then
    redis.call('HSET', state, 'seq', 0)
    redis.call('DEL', history)
  end
end

local function add_member(room, name, id, new_epoch)
  local state, members, order, history = room_keys(room)
  ensure_state(state, history, new_epoch)
  redis.call('PERSIST', state)
  redis.call('PERSIST', history)
  redis.call('HSET', members, name, id)
  redis.call('ZADD', order, redis.call('HINCRBY', state, 'joins', 1), name)
  redis.call('SADD', instance_members(id), room .. '\n' .. name)
  redis.call('PUBLISH', channel(room), 'j\n' .. id .. '\n' .. name)
end

-- Only the owning instance's member is removed; an empty room's state and history expire after an hour.
local function remove_member(room, name, id, reason)
  local state, members, order, history = room_keys(room)
  if redis.call('HGET', members, name) ~= id then
    return 0
  end
  redis.call('HDEL', members, name)
  redis.call('ZREM', order, name)
  redis.call('SREM', instance_members(id), room .. '\n' .. name)
  redis.call('PUBLISH', channel(room), 'l\n' .. id .. '\n' .. reason .. '\n' .. name)
  if redis.call('EXISTS', members) == 0 then
    redis.call('DEL', order)
    redis.call('PEXPIRE', state, EMPTY_TTL_MS)
    redis.call('PEXPIRE', history, EMPTY_TTL_MS)
  end
  return 1
end

local function reap_instance(id)
  redis.call('SREM', INSTANCES, id)
  local removed = 0
  for _, entry in ipairs(redis.call('SMEMBERS', instance_members(id))) do
    local room, name = string.match(entry, '^(.*)\n([^\n]*)$')
    if room then
      removed = removed + remove_member(room, name, id, 'disconnected')
    end
  end
  redis.call('DEL', instance_members(id))
  return removed
end

-- Whether the messages after SINCE in EPOCH can be replayed, and their payloads: -1 not asked, 0 no, 1 yes.
local function recover(room, since, epoch)
  if since == '' then
    return -1, {}
  end
  local state, _, _, history = room_keys(room)
  local current = redis.call('HGET', state, 'epoch')
  local seq = tonumber(redis.call('HGET', state, 'seq') or '0')
  local s = tonumber(since)
  if current ~= epoch or s > seq then
    return 0, {}
  end
  if s == seq then
    return 1, {}
  end
  local first = string.format('%d-0', s + 1)
  local entries = redis.call('XRANGE', history, first, '+')
  if #entries == 0 or entries[1][1] ~= first then
    return 0, {}
  end
  local payloads = {}
  for i, entry in ipairs(entries) do
    payloads[i] = entry[2][2]
  end
  return 1, payloads
end

local function position(room)
  local state, _, order = room_keys(room)
  return redis.call('ZRANGE', order, 0, -1), tonumber(redis.call('HGET', state, 'seq') or '0'),
    redis.call('HGET', state, 'epoch')
end
