-- ARGV: instance id. A graceful stop: the instance's members leave, then the instance.
redis.call('DEL', instance_key(ARGV[1]))
return reap_instance(ARGV[1])
