-- ARGV: instance id, TTL in ms. Returns 1 when the id was not registered: new, or taken for dead and reaped.
local fresh = redis.call('SADD', INSTANCES, ARGV[1])
redis.call('SET', instance_key(ARGV[1]), '1', 'PX', ARGV[2])
return fresh
