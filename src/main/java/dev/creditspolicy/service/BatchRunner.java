package dev.creditspolicy.service;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/**
 * The one batch runner of group commit, for usage and holds alike: a batch's commands run in one transaction, each
 * answered as if it ran alone (a command refused gets its own problem from the batch's {@link Work}). When the
 * transaction fails (a database error past Store's retries), each command is tried again alone, in its own
 * transaction, so that only the offender fails; when the database is unavailable ({@link Store#unavailable}), each
 * fails with that error at once, since alone it would wait for a connection and fail the same way. While a
 * {@link GroupCommit} runs, single commands and callers' batches queue to its writers, which run them here.
 *
 * @param <C> a command
 * @param <T> what a command answers
 */
public final class BatchRunner<C, T> {
    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

    /** What one command of a batch got: its answer, or the exception it would have got alone. */
    public record Outcome<T>(Answer<T> answered, RuntimeException failure) {
        static <T> Outcome<T> of(Answer<T> answered) {
            return new Outcome<>(answered, null);
        }

        static <T> Outcome<T> failed(RuntimeException e) {
            return new Outcome<>(null, e);
        }

        /** The answer, or the command's own exception thrown in the caller's thread. */
        public Answer<T> answer() {
            if (failure != null) {
                throw failure;
            }
            return answered;
        }
    }

    /** A batch's work inside its transaction: every command's outcome, in the batch's order. */
    @FunctionalInterface
    interface Work<C, T> {
        List<Outcome<T>> run(Tx tx, List<C> cmds);
    }

    private final String name;
    private final Store store;
    private final Work<C, T> work;
    private final Counter fallbacks;
    private final Consumer<List<Outcome<T>>> committed;
    private volatile GroupCommit<C, T> batcher;

    /**
     * @param fallbacks counts the batches tried again one by one (null: not counted)
     * @param committed told of every transaction's outcomes once it has committed
     */
    BatchRunner(String name, Store store, Work<C, T> work, Counter fallbacks, Consumer<List<Outcome<T>>> committed) {
        this.name = name;
        this.store = store;
        this.work = work;
        this.fallbacks = fallbacks;
        this.committed = committed;
    }

    String name() {
        return name;
    }

    /** Runs the commands in one transaction, in order; each answered as if alone. */
    List<Outcome<T>> runAll(List<C> cmds) {
        return runAll(cmds, work);
    }

    /** The same with another work (a request that asks for more than the batch's work answers, e.g. explain). */
    List<Outcome<T>> runAll(List<C> cmds, Work<C, T> work) {
        List<Outcome<T>> outcomes;
        try {
            outcomes = store.inTransaction(tx -> work.run(tx, cmds));
        } catch (RuntimeException e) {
            if (cmds.size() == 1 || Store.unavailable(e)) {
                return cmds.stream().map(c -> Outcome.<T>failed(e)).toList();
            }
            if (fallbacks != null) {
                fallbacks.increment();
            }
            log.warn("{} batch of {} requests failed ({}); trying each alone", name, cmds.size(), e.toString());
            return cmds.stream().map(c -> runAll(List.of(c), work).get(0)).toList(); // each told when it commits
        }
        committed.accept(outcomes);
        return outcomes;
    }

    /** One command: queued to the group-commit writers while they run, else run here, alone. */
    Outcome<T> submit(C cmd) {
        GroupCommit<C, T> running = batcher;
        return running != null ? running.submit(cmd) : runAll(List.of(cmd)).get(0);
    }

    /**
     * A caller's batch: queued whole to the writers while they run (one transaction, in order, never split), else run
     * here.
     */
    List<Outcome<T>> submitAll(List<C> cmds) {
        GroupCommit<C, T> running = batcher;
        return cmds.isEmpty() ? List.of() : running != null ? running.submitAll(cmds) : runAll(cmds);
    }

    /** Starts group commit: from now on commands queue to the writers {@code start} makes, until they are closed. */
    synchronized <G extends GroupCommit<C, T>> G startBatching(Function<BatchRunner<C, T>, G> start) {
        if (batcher != null) {
            throw new IllegalStateException(name + " batching already runs");
        }
        G started = start.apply(this);
        batcher = started;
        return started;
    }

    synchronized void detach(GroupCommit<?, ?> closed) {
        if (batcher == closed) {
            batcher = null;
        }
    }
}
