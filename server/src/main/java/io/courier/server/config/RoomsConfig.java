package io.courier.server.config;

import java.net.URI;
import java.time.Duration;

/**
 * How rooms keep their history and whether they span instances.
 *
 * @param history        the last N messages kept per room for {@code room.join} with {@code since}; 0 keeps none
 * @param historyBytes   in single-instance mode, the most bytes all rooms' histories take together in memory
 *                       (the oldest messages go first past it); in cluster mode Redis holds the history
 * @param cluster        {@code redis://HOST:PORT[/DB]} of the Redis every instance of the cluster uses, or null
 *                       for rooms of this process only
 * @param clusterTimeout how soon the other instances take a dead instance's members out of every room
 */
public record RoomsConfig(int history, long historyBytes, URI cluster, Duration clusterTimeout) {
    public static final RoomsConfig DEFAULTS = new RoomsConfig(100, 64L << 20, null, Duration.ofSeconds(10));

    public RoomsConfig withHistory(int value) {
        return new RoomsConfig(value, historyBytes, cluster, clusterTimeout);
    }

    public RoomsConfig withHistoryBytes(long value) {
        return new RoomsConfig(history, value, cluster, clusterTimeout);
    }

    public RoomsConfig withCluster(URI value) {
        return new RoomsConfig(history, historyBytes, value, clusterTimeout);
    }

    public RoomsConfig withClusterTimeout(Duration value) {
        return new RoomsConfig(history, historyBytes, cluster, value);
    }

    /** Parses {@code redis://HOST:PORT[/DB]} (user and password optional), naming what is wrong. */
    public static URI clusterUri(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("cluster must look like redis://HOST:PORT[/DB], got '" + text + "'");
        }
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("cluster must look like redis://HOST:PORT[/DB] (rediss:// and "
                    + "Redis Cluster are not supported), got '" + text + "'");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.equals("/") && !path.substring(1).matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException("cluster's database after the / must be a number such as 0, got '"
                    + text + "'");
        }
        return uri;
    }
}
