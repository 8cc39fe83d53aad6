-- ARGV: instance id, then every room it has members in now. After an outage: its members of other rooms leave.
local id = ARGV[1]
local keep = {}
for i = 2, #ARGV do
  keep[ARGV[i]] = true
end
local removed = 0
for _, entry in ipairs(redis.call('SMEMBERS', instance_members(id))) do
  local room, name = string.match(entry, '^(.*)\n([^\n]*)$')
  if room and not keep[room] then
    removed = removed + remove_member(room, name, id, 'disconnected')
  end
end
return removed
