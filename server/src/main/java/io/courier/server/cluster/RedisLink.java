package io.courier.server.cluster;

import io.courier.server.loop.EventLoop;
import io.courier.server.loop.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This instance's one connection to the cluster's Redis, and its life: connect (DNS off the loop), handshake
 * (RESP3, so pub/sub pushes and command replies share one connection in one order; AUTH and SELECT from the URI;
 * the scripts loaded), register the instance, then every {@code cluster-timeout/5} refresh the instance's
 * heartbeat key (TTL {@code 4/5} of the timeout) and reap instances whose key has expired. Lost: the owner hears
 * it, a WARN says so once, and it reconnects with backoff (0.1 s doubling to 5 s, jittered). Loop thread only.
 *
 * <p>The bound: a killed instance's key expires at most TTL after its last refresh, and some instance's next
 * reap comes at most one period later, so its members leave within {@code cluster-timeout} (plus a round trip).
 */
final class RedisLink implements RespConnection.Listener {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /** How the link is, as {@code stats} and the metrics report it. */
    enum State {
        CONNECTING("connecting"), UP("connected"), DOWN("disconnected");

        final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }
    }

    /** What the link tells the cluster rooms. Loop thread. */
    interface Listener {
        /** Connected and registered: re-announce every member (the first time too). */
        void up();

        /** The connection is gone; commands in flight have had LINK_LOST. */
        void down();

        /** Still connected, but the others took this instance for dead and removed its members: re-announce. */
        void reaped();

        void push(RespPush push);

        void stateChanged(State state);
    }

    private final URI uri;
    private final String instanceId;
    private final long periodNanos;
    private final long ttlMillis;
    private EventLoop loop;
    private Listener listener;
    private RespConnection connection;
    private State state = State.DOWN;
    private boolean troubleLogged;
    private boolean stopping;
    private long backoffMillis = 100;
    private Timer timer;
    /** When the heartbeat now unanswered was sent, or 0: a Redis that stops answering is taken as gone. */
    private long heartbeatSentNanos;

    RedisLink(URI uri, String instanceId, java.time.Duration timeout) {
        this.uri = uri;
        this.instanceId = instanceId;
        this.periodNanos = timeout.toNanos() / 5;
        this.ttlMillis = timeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(periodNanos);
    }

    void start(EventLoop eventLoop, Listener owner) {
        this.loop = eventLoop;
        this.listener = owner;
        connect();
    }

    boolean isUp() {
        return state == State.UP;
    }

    State state() {
        return state;
    }

    /** Runs a script; {@code reply} gets its value, a {@link RespError}, or LINK_LOST. Only while up. */
    void run(Script script, Consumer<Object> reply, Object... args) {
        Object[] command = new Object[args.length + 3];
        command[0] = "EVALSHA";
        command[1] = script.sha1;
        command[2] = 0;
        System.arraycopy(args, 0, command, 3, args.length);
        RespConnection current = connection;
        current.call(value -> {
            if (value instanceof RespError && "NOSCRIPT".equals(((RespError) value).code())) {
                // Someone flushed the scripts: start over, which loads them again.
                current.close("Redis no longer has the scripts (SCRIPT FLUSH?)");
                reply.accept(RespError.LINK_LOST);
            } else {
                reply.accept(value);
            }
        }, command);
    }

    void subscribe(String channel) {
        connection.send("SUBSCRIBE", channel);
    }

    void unsubscribe(String channel) {
        if (connection != null && isUp()) {
            connection.send("UNSUBSCRIBE", channel);
        }
    }

    /** A graceful stop: the instance leaves the cluster (its remaining members with it), then {@code then}. */
    void stop(Runnable then) {
        stopping = true;
        cancelTimer();
        if (!isUp()) {
            if (connection != null) {
                connection.close("stopping");
            }
            then.run();
            return;
        }
        RespConnection current = connection;
        boolean[] done = {false};
        Runnable finish = () -> {
            if (!done[0]) {
                done[0] = true;
                current.close("stopping");
                then.run();
            }
        };
        run(Script.BYE, value -> finish.run(), instanceId);
        loop.schedule(TimeUnit.SECONDS.toNanos(1), finish);
    }

    private void connect() {
        if (stopping) {
            return;
        }
        // Only the first attempt reads "connecting": a retry after a failure stays "disconnected", so the state
        // (and a readiness check on it) does not flap at every backoff.
        if (!troubleLogged) {
            setState(State.CONNECTING);
        }
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        // Name resolution can block: it runs off the loop, and the connect goes on on the loop.
        CompletableFuture.supplyAsync(() -> new InetSocketAddress(host, port))
                .whenComplete((address, failure) -> loop.execute(() -> open(address, failure)));
    }

    private void open(InetSocketAddress address, Throwable failure) {
        if (stopping) {
            return;
        }
        if (failure != null || address.isUnresolved()) {
            failed("cannot resolve " + uri.getHost());
            return;
        }
        try {
            RespConnection opened = RespConnection.open(loop, address, this);
            connection = opened;
            timer = loop.schedule(TimeUnit.MILLISECONDS.toNanos(ttlMillis), () -> {
                if (connection == opened && state != State.UP) {
                    opened.close("no answer within " + ttlMillis + " ms");
                }
            });
        } catch (IOException e) {
            failed(e.getMessage());
        }
    }

    @Override
    public void connected() {
        RespConnection current = connection;
        List<Object> hello = new ArrayList<>(List.of("HELLO", "3"));
        String userInfo = uri.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "default" : userInfo.substring(0, colon);
            hello.addAll(List.of("AUTH", user.isEmpty() ? "default" : user, userInfo.substring(colon + 1)));
        }
        hello.addAll(List.of("SETNAME", "courier-" + instanceId));
        Consumer<Object> check = value -> {
            if (value instanceof RespError && value != RespError.LINK_LOST) {
                current.close("Redis refused the handshake: " + ((RespError) value).message()
                        + " (Courier needs Redis 6 or later, for RESP3)");
            }
        };
        current.call(check, hello.toArray());
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        if (!path.isEmpty() && !path.equals("0")) {
            current.call(check, "SELECT", path);
        }
        for (Script script : Script.values()) {
            current.call(check, "SCRIPT", "LOAD", script.source);
        }
        current.call(value -> {
            if (current.isOpen() && !(value instanceof RespError)) {
                becameUp();
            }
        }, "EVALSHA", Script.HEARTBEAT.sha1, 0, instanceId, ttlMillis);
    }

    private void becameUp() {
        cancelTimer();
        heartbeatSentNanos = 0;
        backoffMillis = 100;
        troubleLogged = false;
        log.info("Cluster link up: instance {} shares rooms through {} (members leave within {} ms of an instance "
                + "dying)", instanceId, safeUri(), TimeUnit.NANOSECONDS.toMillis(periodNanos) * 5);
        setState(State.UP);
        timer = loop.schedule(periodNanos, this::tick);
        listener.up();
    }

    private void tick() {
        if (!isUp()) {
            return;
        }
        timer = loop.schedule(periodNanos, this::tick);
        long now = System.nanoTime();
        if (heartbeatSentNanos != 0 && now - heartbeatSentNanos > TimeUnit.MILLISECONDS.toNanos(ttlMillis)) {
            connection.close("Redis has not answered for " + TimeUnit.NANOSECONDS.toMillis(now - heartbeatSentNanos)
                    + " ms");
            return;
        }
        if (heartbeatSentNanos == 0) {
            heartbeatSentNanos = now;
        }
        run(Script.HEARTBEAT, value -> {
            heartbeatSentNanos = 0;
            if (Long.valueOf(1).equals(value)) {
                log.warn("The other instances took instance {} for dead (no heartbeat for {} ms) and removed its "
                        + "members; announcing them again", instanceId, ttlMillis);
                listener.reaped();
            }
        }, instanceId, ttlMillis);
        run(Script.REAP, value -> {
            for (Object id : Resp.list(value instanceof RespError ? null : value)) {
                log.info("Instance {} stopped answering (no heartbeat for {} ms): its members left every room",
                        Resp.text(id), ttlMillis);
            }
        }, instanceId);
    }

    @Override
    public void push(RespPush push) {
        listener.push(push);
    }

    @Override
    public void closed(String why) {
        boolean wasUp = state == State.UP;
        cancelTimer();
        if (stopping) {
            setState(State.DOWN);
            log.info("Cluster link closed: instance {} left the cluster", instanceId);
            return;
        }
        if (wasUp) {
            log.warn("Cluster link to {} lost ({}); serving this instance's members only and reconnecting",
                    safeUri(), why);
            troubleLogged = true;
        }
        setState(State.DOWN);
        if (wasUp) {
            listener.down();
        }
        failed(why);
    }

    /** A connection attempt failed or the link dropped: once a WARN, then quietly retry with backoff. */
    private void failed(String why) {
        if (stopping) {
            return;
        }
        if (state != State.DOWN) {
            setState(State.DOWN);
        }
        if (!troubleLogged) {
            log.warn("Cannot reach the cluster's Redis at {} ({}); serving this instance's members only and "
                    + "retrying", safeUri(), why);
            troubleLogged = true;
        } else {
            log.debug("Redis at {} still unreachable: {}", safeUri(), why);
        }
        long delay = backoffMillis + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        timer = loop.schedule(TimeUnit.MILLISECONDS.toNanos(delay), this::connect);
    }

    private void setState(State next) {
        if (state != next) {
            state = next;
            listener.stateChanged(next);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** The URI without its password, for logs. */
    String safeUri() {
        return uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }
}
