package io.courier.server.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool that runs blocking handlers, so the event loop never waits on disk, network or locks. Work is
 * submitted through {@link Lane}s: one lane per connection runs that connection's blocking requests one at a time,
 * in arrival order (a file upload's chunks never overtake each other), while different connections run in
 * parallel. When the pool's queue is full, new work is refused and the request gets a {@code busy} error instead
 * of waiting forever.
 */
public final class WorkerPool {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final ThreadPoolExecutor executor;

    public WorkerPool(int threads, int queueCapacity) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "courier-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), factory, new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
    }

    /** A new ordered lane (one per connection). */
    public Lane newLane() {
        return new Lane();
    }

    /** Stops taking work and waits up to {@code millis} for running work to finish. */
    public void shutdown(long millis) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                log.warn("Blocking handlers still running after {} ms at shutdown: {}", millis,
                        executor.getActiveCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A task for a lane: what to run, and what to do if the pool refuses it. */
    public interface Job {
        void run();

        void rejected();
    }

    /** Runs its jobs one at a time, in order, on the pool; at most one worker per lane. */
    public final class Lane {
        /** Created with the first job: most connections never run a blocking handler. */
        private ArrayDeque<Job> jobs;
        private boolean scheduled;

        private Lane() {
        }

        /** Queues a job; if the pool refuses the lane, every job waiting in it is rejected. */
        public void submit(Job job) {
            synchronized (this) {
                if (jobs == null) {
                    jobs = new ArrayDeque<>(4);
                }
                jobs.add(job);
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            schedule();
        }

        private void schedule() {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                ArrayDeque<Job> refused;
                synchronized (this) {
                    refused = new ArrayDeque<>(jobs);
                    jobs.clear();
                    scheduled = false;
                }
                refused.forEach(Job::rejected);
            }
        }

        private void drain() {
            Job job;
            synchronized (this) {
                job = jobs.poll();
                if (job == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                job.run();
            } finally {
                boolean more;
                synchronized (this) {
                    more = !jobs.isEmpty();
                    if (!more) {
                        scheduled = false;
                    }
                }
                if (more) {
                    // Back to the pool's queue rather than looping here: other lanes get their turn.
                    schedule();
                }
            }
        }
    }
}
