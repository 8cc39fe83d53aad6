-- ARGV: room, name, instance id, new epoch, max members, since ('' = none), epoch
-- Returns {'conflict'} | {'full', members} | {'ok', names, seq, epoch, recovered, replay}
local room, name, id = ARGV[1], ARGV[2], ARGV[3]
local state, members, _, history = room_keys(room)
local owner = redis.call('HGET', members, name)
if owner and owner ~= id then
  return {'conflict'}
end
if not owner then
  local count = redis.call('HLEN', members)
  if count >= tonumber(ARGV[5]) then
    return {'full', count}
  end
  add_member(room, name, id, ARGV[4])
end
ensure_state(state, history, ARGV[4])
local recovered, replay = recover(room, ARGV[6], ARGV[7])
local names, seq, epoch = position(room)
return {'ok', names, seq, epoch, recovered, replay}
