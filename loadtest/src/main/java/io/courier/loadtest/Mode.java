package io.courier.loadtest;

/** How the client drives the server; {@link #wireName()} is the {@code "mode"} of the JSON report. */
public enum Mode {
    /** Each connection keeps {@code depth} requests in flight and sends the next when a reply arrives. */
    CLOSED("closed"),
    /** Requests go out at a fixed total rate; latency counts from each request's intended send time. */
    OPEN("open"),
    /** Many connections held open, each pinging now and then: connection scale, not throughput. */
    HOLD("hold"),
    /** Members join a room and publishers {@code room.say} into it; every delivery to every member is verified. */
    FANOUT("fanout"),
    /** New connections, each: connect (and TLS handshake), one ping, its reply, close; connection churn. */
    CONNECT("connect");

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
