-- ARGV: room, name, instance id, reason. Returns 1 if the member was removed.
return remove_member(ARGV[1], ARGV[2], ARGV[3], ARGV[4])
