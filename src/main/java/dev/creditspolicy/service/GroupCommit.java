package dev.creditspolicy.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the request threads queue their commands, and a few writer threads each take whatever is waiting, up
 * to {@code maxBatch}, and run it in one transaction ({@code runAll}, which answers every command of its batch, each
 * as if it ran alone). There is no timer: a writer takes a batch as soon as it is free, so at low load a batch is one
 * command and waits for nothing, and under load the commands that arrive while a batch commits form the next one.
 *
 * @param <C> a command
 * @param <O> what one command got: its answer, or the failure it would have got alone
 */
public class GroupCommit<C, O> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending<C, O>(C cmd, CompletableFuture<O> outcome, long queuedAt) {
    }

    private final String name;
    private final Function<List<C>, List<O>> runAll;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending<C, O>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private final DistributionSummary batchSizes;
    private final Timer waits;
    private final Consumer<GroupCommit<C, O>> onClose;
    private volatile boolean closed;

    /**
     * @param sizeMetric  the distribution of batch sizes, {@code description} saying what one batch holds
     * @param onClose     told when the batcher is closed (its service stops queueing to it)
     */
    GroupCommit(String name, Function<List<C>, List<O>> runAll, int writers, int maxBatch, MeterRegistry meters,
                String sizeMetric, String description, Consumer<GroupCommit<C, O>> onClose) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("group commit needs at least one writer and a batch of one");
        }
        this.name = name;
        this.runAll = runAll;
        this.maxBatch = maxBatch;
        this.batchSizes = DistributionSummary.builder(sizeMetric).description(description)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(meters);
        this.waits = Timer.builder(sizeMetric.substring(0, sizeMetric.lastIndexOf('.')) + ".wait")
                .description("time a " + name + " request waits in the queue until a writer takes its batch")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
                        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2)).register(meters);
        this.onClose = onClose;
        for (int i = 1; i <= writers; i++) {
            Thread t = new Thread(this::write, name + "-writer-" + i);
            t.setDaemon(true);
            this.writers.add(t);
            t.start();
        }
        log.info("{} batching: {} writer(s), at most {} requests per transaction", name, writers, maxBatch);
    }

    /** Queues the command and waits for its batch: what it got, as if it ran alone. */
    O submit(C cmd) {
        Pending<C, O> p = new Pending<>(cmd, new CompletableFuture<>(), System.nanoTime());
        if (!closed) {
            queue.add(p);
            if (!closed || !queue.remove(p)) {
                return await(p);
            }
        }
        // closed before it was queued, or while it was and no writer took it: it runs here, alone
        return runAll.apply(List.of(cmd)).get(0);
    }

    private O await(Pending<C, O> p) {
        try {
            return p.outcome().get();
        } catch (InterruptedException e) {
            // the request thread gives up waiting; its batch still runs, and a retry is answered as a replay
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a " + name + " request was queued", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void write() {
        List<Pending<C, O>> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<C, O> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Pending<C, O>> batch) {
        batchSizes.record(batch.size());
        long taken = System.nanoTime();
        batch.forEach(p -> waits.record(taken - p.queuedAt(), TimeUnit.NANOSECONDS));
        try {
            List<O> outcomes = runAll.apply(batch.stream().map(Pending::cmd).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(outcomes.get(i));
            }
        } catch (RuntimeException | Error e) {
            // runAll answers every command itself; this is a bug's last line: no request is left waiting
            log.error("{} batch of {} failed outside its transaction", name, batch.size(), e);
            batch.forEach(p -> p.outcome().completeExceptionally(e));
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
        for (Pending<C, O> p = queue.poll(); p != null; p = queue.poll()) {
            run(List.of(p));
        }
        onClose.accept(this);
    }
}
