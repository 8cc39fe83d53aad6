-- ARGV: room, instance id, new epoch, since ('' = none), epoch, then the names the instance has there now.
-- After an outage (or being taken for dead): the instance's names there become exactly these; a name another
-- instance took meanwhile is a conflict. Returns {'ok', names, seq, epoch, recovered, replay, conflicts}.
local room, id = ARGV[1], ARGV[2]
local state, members, _, history = room_keys(room)
local mine = {}
for i = 6, #ARGV do
  mine[ARGV[i]] = true
end
local all = redis.call('HGETALL', members)
for i = 1, #all, 2 do
  if all[i + 1] == id and not mine[all[i]] then
    remove_member(room, all[i], id, 'disconnected')
  end
end
local conflicts = {}
for i = 6, #ARGV do
  local owner = redis.call('HGET', members, ARGV[i])
  if not owner then
    add_member(room, ARGV[i], id, ARGV[3])
  elseif owner ~= id then
    table.insert(conflicts, ARGV[i])
  end
end
ensure_state(state, history, ARGV[3])
local recovered, replay = recover(room, ARGV[4], ARGV[5])
local names, seq, epoch = position(room)
return {'ok', names, seq, epoch, recovered, replay, conflicts}
