package dev.creditspolicy.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.service.BatchRunner.Outcome;

/**
 * Group commit: the request threads queue their commands, and a few writer threads each take whatever is waiting, up
 * to {@code maxBatch}, and run it in one transaction ({@link BatchRunner#runAll}, which answers every command of its
 * batch, each as if it ran alone). There is no timer: a writer takes a batch as soon as it is free, so at low load a
 * batch is one command and waits for nothing, and under load the commands that arrive while a batch commits form the
 * next one.
 *
 * @param <C> a command
 * @param <T> what a command answers
 */
public class GroupCommit<C, T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** Commands queued together (one request, or one batch of a caller's): run in one transaction, in order. */
    private record Pending<C, T>(List<C> cmds, CompletableFuture<List<Outcome<T>>> outcomes, long queuedAt) {
    }

    private final String name;
    private final BatchRunner<C, T> runner;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending<C, T>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private final DistributionSummary batchSizes;
    private final Timer waits;
    private volatile boolean closed;

    /**
     * @param runner     runs each batch, and is told when the batcher is closed (it stops queueing to it)
     * @param sizeMetric the distribution of batch sizes, {@code description} saying what one batch holds
     */
    GroupCommit(BatchRunner<C, T> runner, int writers, int maxBatch, MeterRegistry meters, String sizeMetric,
                String description) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("group commit needs at least one writer and a batch of one");
        }
        this.name = runner.name();
        this.runner = runner;
        this.maxBatch = maxBatch;
        this.batchSizes = DistributionSummary.builder(sizeMetric).description(description)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 1024).register(meters);
        this.waits = Timer.builder(sizeMetric.substring(0, sizeMetric.lastIndexOf('.')) + ".wait")
                .description("time a " + name + " request waits in the queue until a writer takes its batch")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
                        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2)).register(meters);
        for (int i = 1; i <= writers; i++) {
            Thread t = new Thread(this::write, name + "-writer-" + i);
            t.setDaemon(true);
            this.writers.add(t);
            t.start();
        }
        log.info("{} batching: {} writer(s), at most {} requests per transaction", name, writers, maxBatch);
    }

    /** Queues the command and waits for its batch: what it got, as if it ran alone. */
    Outcome<T> submit(C cmd) {
        return submitAll(List.of(cmd)).get(0);
    }

    /**
     * Queues the commands as one unit and waits for them: a writer runs them in one transaction, in this order and
     * never split (with other waiting commands when they fit in {@code maxBatch}, alone when they are more).
     */
    List<Outcome<T>> submitAll(List<C> cmds) {
        Pending<C, T> p = new Pending<>(List.copyOf(cmds), new CompletableFuture<>(), System.nanoTime());
        if (!closed) {
            queue.add(p);
            if (!closed || !queue.remove(p)) {
                return await(p);
            }
        }
        // closed before it was queued, or while it was and no writer took it: it runs here
        return runner.runAll(p.cmds());
    }

    private List<Outcome<T>> await(Pending<C, T> p) {
        try {
            return p.outcomes().get();
        } catch (InterruptedException e) {
            // the request thread gives up waiting; its batch still runs, and a retry is answered as a replay
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a " + name + " request was queued", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Takes the first waiting unit, then the next ones while their commands fit in {@code maxBatch}; a unit that
     * does not fit is carried to this writer's next batch (units are never split, so a caller's batch keeps its order).
     */
    private void write() {
        List<Pending<C, T>> batch = new ArrayList<>();
        Pending<C, T> carried = null;
        while (!closed || !queue.isEmpty() || carried != null) {
            try {
                Pending<C, T> first = carried != null ? carried : queue.poll(200, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int size = first.cmds().size();
                for (Pending<C, T> next; size < maxBatch && (next = queue.poll()) != null; size += next.cmds().size()) {
                    if (size + next.cmds().size() > maxBatch) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (carried != null) {
                    queue.add(carried); // close() runs what is left in the queue
                }
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Pending<C, T>> batch) {
        List<C> cmds = batch.size() == 1 ? batch.get(0).cmds()
                : batch.stream().flatMap(p -> p.cmds().stream()).toList();
        batchSizes.record(cmds.size());
        long taken = System.nanoTime();
        batch.forEach(p -> waits.record(taken - p.queuedAt(), TimeUnit.NANOSECONDS));
        try {
            List<Outcome<T>> outcomes = runner.runAll(cmds);
            int from = 0;
            for (Pending<C, T> p : batch) {
                p.outcomes().complete(outcomes.subList(from, from + p.cmds().size()));
                from += p.cmds().size();
            }
        } catch (RuntimeException | Error e) {
            // the runner answers every command itself; this is a bug's last line: no request is left waiting
            log.error("{} batch of {} failed outside its transaction", name, cmds.size(), e);
            batch.forEach(p -> p.outcomes().completeExceptionally(e));
        }
    }

    /** Stops taking requests; what is queued is still run and answered, by the writers or here. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : writers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Pending<C, T> p = queue.poll(); p != null; p = queue.poll()) {
            run(List.of(p));
        }
        runner.detach(this);
    }
}
