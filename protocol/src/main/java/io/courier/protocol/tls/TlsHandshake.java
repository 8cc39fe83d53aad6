package io.courier.protocol.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The handshake side of one {@link TlsEngineDriver}: runs the engine's delegated tasks off the loop, knows whether
 * they are running (the engine is theirs meanwhile, so the packet size is remembered from before), and notices the
 * moment the handshake completes. Kept apart from the record paths because its state changes a few times per
 * connection while theirs is touched per record; both ask it only plain field questions. Loop-thread only, except
 * the tasks themselves.
 */
final class TlsHandshake {
    private final SSLEngine engine;
    private final Executor workers;
    private final Executor loop;
    private final TlsEngineDriver.Owner owner;
    /** Runs on the loop once the tasks are done (the driver resumes its owner unless it was released). */
    private final Runnable afterTasks;

    /**
     * Delegated tasks are running on a worker: the engine is theirs until they are done, so nothing here asks it
     * anything meanwhile (a failing task closes it from the worker thread; the loop must not see that half-way).
     */
    private boolean tasksRunning;
    /** The engine's packet size, as of the last time the loop could ask it. */
    private int packetSize;
    private boolean done;

    /** Call after {@code engine.beginHandshake()}. */
    TlsHandshake(SSLEngine engine, Executor workers, Executor loop, TlsEngineDriver.Owner owner, Runnable afterTasks) {
        this.engine = engine;
        this.workers = workers;
        this.loop = loop;
        this.owner = owner;
        this.afterTasks = afterTasks;
        this.packetSize = engine.getSession().getPacketBufferSize();
    }

    boolean tasksRunning() {
        return tasksRunning;
    }

    boolean isDone() {
        return done;
    }

    /** The largest record the engine takes or makes now; while tasks run, the size it had before them. */
    int packetSize() {
        if (!tasksRunning) {
            packetSize = engine.getSession().getPacketBufferSize(); // it may grow, to take a larger record
        }
        return packetSize;
    }

    /** Tells the owner, once, when a wrap or unwrap has completed the handshake. */
    void noteFinished(SSLEngineResult result) {
        if (!done && (result.getHandshakeStatus() == HandshakeStatus.FINISHED
                || (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && !engine.isInboundDone()
                && !engine.isOutboundDone()))) {
            done = true;
            owner.handshakeFinished();
        }
    }

    /** The engine said NEED_TASK: its tasks go to a worker, and the driver waits until {@code afterTasks}. */
    void startTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            tasks.add(task);
        }
        tasksRunning = true;
        Runnable job = () -> {
            try {
                tasks.forEach(Runnable::run); // failures are kept by the engine and thrown by the next unwrap
            } finally {
                loop.execute(this::tasksDone);
            }
        };
        try {
            workers.execute(job);
        } catch (RejectedExecutionException e) {
            // A saturated pool: do the few milliseconds of key exchange here rather than refuse the client.
            job.run();
        }
    }

    private void tasksDone() {
        tasksRunning = false;
        packetSize = engine.getSession().getPacketBufferSize();
        afterTasks.run();
    }
}
