package dev.creditspolicy.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.MeterRegistry;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.service.BatchRunner.Outcome;
import dev.creditspolicy.service.Commands.Commit;
import dev.creditspolicy.service.Commands.Hold;
import dev.creditspolicy.service.Commands.HoldCommand;
import dev.creditspolicy.service.Commands.Release;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.CommitView;
import dev.creditspolicy.service.Views.HoldView;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/**
 * Holds (SPEC section 6): reserve, commit, release. Each runs under the account's row lock, the lock usage takes, so
 * holds, commits and usage calls of one account are serialised; in its own transaction, or, with group commit, in
 * one transaction with the others waiting (each under a savepoint). What each does is {@link HoldRequests}'; the
 * rules decide as for a usage call ({@link Decider}). Reading holds back lives in {@link HoldViews}.
 */
public final class HoldService {
    public static final int TTL_DEFAULT_SECONDS = 900;
    public static final int TTL_MAX_SECONDS = 86_400;

    private final MeterRegistry meters;
    private final HoldRequests requests;
    private final BatchRunner<HoldCommand, Object> runner;

    public HoldService(Store store, PolicyEngine engine, Clock clock, MeterRegistry meters) {
        this.meters = meters;
        this.requests = new HoldRequests(engine, clock);
        this.runner = new BatchRunner<>("hold", store, this::inOneTransaction,
                meters.counter("credits.holds.batch.fallbacks"), outcomes -> {
        });
    }

    /** Reserves the credits, or answers INSUFFICIENT holding nothing; the same body again answers the first. */
    public Answer<HoldView> hold(Hold cmd) {
        return answer(runner.submit(cmd));
    }

    /** Settles the hold as a usage decision under the hold's id. */
    public Answer<CommitView> commit(Commit cmd) {
        return answer(runner.submit(cmd));
    }

    /** Cancels the hold: everything it reserved goes back. */
    public Answer<HoldView> release(Release cmd) {
        return answer(runner.submit(cmd));
    }

    /** The answer of the command's kind (a hold's or release's HoldView, a commit's CommitView), or its failure. */
    @SuppressWarnings("unchecked")
    private static <T> Answer<T> answer(Outcome<Object> outcome) {
        return (Answer<T>) (Answer<?>) outcome.answer();
    }

    /**
     * Starts group commit for holds, commits and releases: from now on each waits for one of {@code writers} writer
     * threads, which run up to {@code maxBatch} waiting requests per transaction ({@link #runAll}).
     */
    public GroupCommit<HoldCommand, Object> startBatching(int writers, int maxBatch) {
        return runner.startBatching(r -> new GroupCommit<>(r, writers, maxBatch, meters, "credits.holds.batch.size",
                "hold, commit and release requests run in one transaction"));
    }

    /**
     * Runs several hold requests in one transaction, in the list's order, each as if alone ({@link BatchRunner}; when
     * the transaction fails, each is tried again alone).
     */
    public List<Outcome<Object>> runAll(List<HoldCommand> cmds) {
        return runner.runAll(cmds);
    }

    /**
     * A batch's transaction: the accounts its requests touch are locked first, in one ordered statement (as a usage
     * batch does: no deadlock between batches), and each request runs under a savepoint, so one refused (a conflict,
     * an unknown hold, a settled or expired one, an unknown model) gets its own problem and leaves no write behind,
     * while the others keep theirs. A database error fails the whole transaction.
     */
    private List<Outcome<Object>> inOneTransaction(Tx tx, List<HoldCommand> cmds) {
        if (cmds.size() == 1) {
            return List.of(Outcome.of(apply(tx, cmds.get(0))));
        }
        lockAccounts(tx, cmds);
        List<Outcome<Object>> outcomes = new ArrayList<>(cmds.size());
        for (int i = 0; i < cmds.size(); i++) {
            HoldCommand cmd = cmds.get(i);
            try {
                outcomes.add(Outcome.of(tx.undoneIfItFails("hold_request_" + i, () -> apply(tx, cmd))));
            } catch (RuntimeException e) {
                if (Store.sqlState(e) != null) {
                    throw e; // the database's, not the request's: the whole batch is retried or run apart
                }
                outcomes.add(Outcome.failed(e));
            }
        }
        return outcomes;
    }

    /** The accounts of the batch's requests (a commit's or release's: its hold's), locked in account-id order. */
    private static void lockAccounts(Tx tx, List<HoldCommand> cmds) {
        Set<String> accounts = new TreeSet<>();
        List<String> settled = new ArrayList<>();
        for (HoldCommand cmd : cmds) {
            if (cmd instanceof Hold h) {
                accounts.add(h.accountId());
            } else {
                settled.add(cmd.holdId());
            }
        }
        if (!settled.isEmpty()) {
            accounts.addAll(tx.holds().accountsOf(settled));
        }
        tx.accounts().lockAll(accounts);
    }

    @SuppressWarnings("unchecked")
    private Answer<Object> apply(Tx tx, HoldCommand cmd) {
        Answer<?> answer = cmd instanceof Hold h ? requests.hold(tx, h)
                : cmd instanceof Commit c ? requests.commit(tx, c) : requests.release(tx, (Release) cmd);
        return (Answer<Object>) answer;
    }
}
