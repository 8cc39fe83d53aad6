-- ARGV: room, name, instance id, new epoch, history length (0 = none), event ("HEADER-JSON\nBODY")
-- Numbers the message, keeps it in the history and publishes it, in one step: seq order is delivery order.
-- Returns {'gone'} when the name is not (any more) this instance's member, else {'ok', seq, members}.
local room = ARGV[1]
local state, members, _, history = room_keys(room)
if redis.call('HGET', members, ARGV[2]) ~= ARGV[3] then
  return {'gone'}
end
ensure_state(state, history, ARGV[4])
local seq = redis.call('HINCRBY', state, 'seq', 1)
local payload = 'm\n' .. seq .. '\n' .. redis.call('HGET', state, 'epoch') .. '\n' .. ARGV[6]
local keep = tonumber(ARGV[5])
if keep > 0 then
  redis.call('XADD', history, 'MAXLEN', '~', keep, seq .. '-0', 'm', payload)
end
redis.call('PUBLISH', channel(room), payload)
return {'ok', seq, redis.call('HLEN', members)}
