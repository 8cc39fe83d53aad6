-- ARGV: this instance's id. Every other instance whose heartbeat key has expired leaves every room (reason
-- disconnected) and the instance set. Atomic: whichever instance runs it first does the clean-up, once.
-- Returns the ids reaped.
local reaped = {}
for _, id in ipairs(redis.call('SMEMBERS', INSTANCES)) do
  if id ~= ARGV[1] and redis.call('EXISTS', instance_key(id)) == 0 then
    reap_instance(id)
    table.insert(reaped, id)
  end
end
return reaped
