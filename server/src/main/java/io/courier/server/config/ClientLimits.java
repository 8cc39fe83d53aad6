package io.courier.server.config;

/**
 * What one client, and all clients together, can make the server hold: rooms joined per connection, members per
 * room, rooms in all, uploads in progress per connection, and bytes buffered in partial input and unsent replies
 * across every connection. Past a bound the request gets {@code limit_exceeded} naming the option; past the byte
 * budget the biggest holders are closed.
 */
public record ClientLimits(int maxRoomsPerConnection, int maxMembersPerRoom, int maxRooms,
                           int maxUploadsPerConnection, long maxBufferedBytes) {

    /** 0 for {@code maxBufferedBytes}: a quarter of the heap, worked out when the server starts. */
    public static final ClientLimits DEFAULTS = new ClientLimits(100, 1000, 10_000, 4, 0);

    public ClientLimits withMaxRoomsPerConnection(int value) {
        return new ClientLimits(value, maxMembersPerRoom, maxRooms, maxUploadsPerConnection, maxBufferedBytes);
    }

    public ClientLimits withMaxMembersPerRoom(int value) {
        return new ClientLimits(maxRoomsPerConnection, value, maxRooms, maxUploadsPerConnection, maxBufferedBytes);
    }

    public ClientLimits withMaxRooms(int value) {
        return new ClientLimits(maxRoomsPerConnection, maxMembersPerRoom, value, maxUploadsPerConnection,
                maxBufferedBytes);
    }

    public ClientLimits withMaxUploadsPerConnection(int value) {
        return new ClientLimits(maxRoomsPerConnection, maxMembersPerRoom, maxRooms, value, maxBufferedBytes);
    }

    public ClientLimits withMaxBufferedBytes(long value) {
        return new ClientLimits(maxRoomsPerConnection, maxMembersPerRoom, maxRooms, maxUploadsPerConnection, value);
    }

    /** The byte budget in force: as configured, or a quarter of the heap. */
    public long bufferedBytesBudget() {
        return maxBufferedBytes > 0 ? maxBufferedBytes : defaultBufferedBytes();
    }

    /**
     * Default byte budget: a quarter of the heap. Not half: a decoder's buffer grows by doubling (old and new array
     * alive during the copy), shed buffers are garbage only at the next collection, and G1 needs contiguous free
     * regions for large arrays; with half the heap as budget, 26 connections growing 16 MiB frames still ran a
     * 128 MiB heap out of memory (BufferBudgetIT).
     */
    static long defaultBufferedBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }
}
