package dev.creditspolicy.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.UsageService.Outcome;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExplainedDecision;

/**
 * Group commit for usage requests (issue 17): the request threads queue their calls, and a few writer threads each
 * take whatever is waiting, up to {@code maxBatch}, and decide and store it in one transaction
 * ({@link UsageService#recordAll}). There is no timer: a writer takes a batch as soon as it is free, so at low load a
 * batch is one request and waits for nothing, and under load the requests that arrive while a batch commits form the
 * next one.
 */
public final class UsageBatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageBatcher.class);

    private record Pending(Usage cmd, CompletableFuture<Outcome> outcome) {
    }

    private final UsageService usage;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private final DistributionSummary batchSizes;
    private volatile boolean closed;

    UsageBatcher(UsageService usage, int writers, int maxBatch, MeterRegistry meters) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("a usage batcher needs at least one writer and a batch of one");
        }
        this.usage = usage;
        this.maxBatch = maxBatch;
        this.batchSizes = DistributionSummary.builder("credits.usage.batch.size")
                .description("usage requests decided and stored in one transaction")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(meters);
        for (int i = 1; i <= writers; i++) {
            Thread t = new Thread(this::write, "usage-writer-" + i);
            t.setDaemon(true);
            this.writers.add(t);
            t.start();
        }
        log.info("usage batching: {} writer(s), at most {} requests per transaction", writers, maxBatch);
    }

    /** Queues the request and waits for its batch; the answer, or the request's own problem, as if it ran alone. */
    Answer<ExplainedDecision> record(Usage cmd) {
        Pending p = new Pending(cmd, new CompletableFuture<>());
        if (!closed) {
            queue.add(p);
            if (!closed || !queue.remove(p)) {
                return await(p);
            }
        }
        // closed before it was queued, or while it was and no writer took it: it runs here, alone
        return usage.recordAll(List.of(cmd)).get(0).answer();
    }

    private static Answer<ExplainedDecision> await(Pending p) {
        try {
            return p.outcome().get().answer();
        } catch (InterruptedException e) {
            // the request thread gives up waiting; its batch still runs, and a retry of the id is answered as a replay
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the usage request " + p.cmd().requestId()
                    + " was queued", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
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

    private void run(List<Pending> batch) {
        batchSizes.record(batch.size());
        try {
            List<Outcome> outcomes = usage.recordAll(batch.stream().map(Pending::cmd).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(outcomes.get(i));
            }
        } catch (RuntimeException | Error e) {
            // recordAll answers every request itself; this is a bug's last line: no request is left waiting
            log.error("usage batch of {} failed outside its transaction", batch.size(), e);
            batch.forEach(p -> p.outcome().completeExceptionally(e));
        }
    }

    /** Stops taking requests; what is queued is still decided and answered, by the writers or here. */
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
        for (Pending p = queue.poll(); p != null; p = queue.poll()) {
            run(List.of(p));
        }
        usage.detach(this);
    }
}
