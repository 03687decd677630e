package dev.creditspolicy.service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.service.BatchRunner.Outcome;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.Decider.Call;
import dev.creditspolicy.service.Decider.Decided;
import dev.creditspolicy.service.Snapshot.Sight;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/**
 * Usage requests: load the account's snapshot, let the rules decide ({@link Decider}), apply the decision, all in one
 * transaction under the account's lock; recorded ones in batches ({@link UsageBatch}, group-committed by
 * {@link UsageBatcher}). The same request id never charges twice: the decision row's primary key sees to it.
 */
public final class UsageService {
    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer evaluationTimer;
    /** The decisions counter per status and reason, looked up once each rather than per request. */
    private final Map<String, Counter> decisionCounters = new ConcurrentHashMap<>();
    private final BatchRunner<Usage, ExplainedDecision> recording;
    private final BatchRunner<Usage, ExplainedDecision> evaluating;

    public UsageService(Store store, PolicyEngine engine, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.meters = meters;
        this.evaluationTimer = Timer.builder("credits.policy.evaluation")
                .description("time the rules take to decide one usage request").register(meters);
        Counter fallbacks = Counter.builder("credits.usage.batch.fallbacks")
                .description("usage batches whose transaction failed, their requests then tried one by one")
                .register(meters);
        this.recording = new BatchRunner<>("usage", store, (tx, cmds) -> batch(tx, cmds, false), fallbacks,
                this::count);
        this.evaluating = new BatchRunner<>("evaluate", store, this::evaluateEach, null, outcomes -> {
        });
    }

    /**
     * The decision the request would get now; nothing is stored. A request id already decided gets what a retry
     * would: the stored decision, or idempotency-conflict for another body.
     */
    public UsageDecision evaluate(Usage cmd) {
        return evaluate(cmd, false).decision();
    }

    /**
     * The same; with {@code explain}, the answer also says, for every lot of the account, why it was or was not
     * drawn (a stored decision given again carries no explanation: it was made earlier, over other lots).
     */
    public ExplainedDecision evaluate(Usage cmd, boolean explain) {
        return store.inTransaction(tx -> evaluate(tx, cmd, explain));
    }

    /**
     * Several requests evaluated in one read-only transaction, each exactly as {@link #evaluate} alone (none sees
     * another: nothing is stored); a request refused gets its own problem. Any other failure (the database) makes
     * each request run alone, in its own transaction, so that one cannot fail the others.
     */
    public List<Outcome<ExplainedDecision>> evaluateAll(List<Usage> cmds) {
        return evaluating.runAll(cmds);
    }

    private List<Outcome<ExplainedDecision>> evaluateEach(Tx tx, List<Usage> cmds) {
        return cmds.stream().map(c -> {
            try {
                return Outcome.of(new Answer<>(evaluate(tx, c, false), false));
            } catch (Problem p) {
                return Outcome.<ExplainedDecision>failed(p);
            }
        }).toList();
    }

    private ExplainedDecision evaluate(Tx tx, Usage cmd, boolean explain) {
        AccountRow account = Accounts.find(tx, cmd.accountId());
        if (cmd.requestId() != null) {
            DecisionRow row = tx.usage().find(cmd.requestId()).orElse(null);
            UsageDecision earlier = EarlierDecisions.earlier(tx, EarlierDecisions.canonical(cmd, account), row,
                    row == null && tx.holds().find(cmd.requestId()).isPresent());
            if (earlier != null) {
                return new ExplainedDecision(earlier, null, account.realm());
            }
        }
        Accounts.checkRealm(cmd.realm(), account);
        // nothing is stored: holds expired by then are left for a request that draws to mark
        Snapshot s = Snapshots.reading(tx).load(account, cmd.occurredAt(), new Sight(false, explain, null));
        Decider decider = new Decider(engine.current(), evaluationTimer);
        Decided d = explain ? decider.explain(s, Call.of(cmd)) : decider.decide(s, Call.of(cmd));
        return new ExplainedDecision(d.decision(), d.explanation(), account.realm());
    }

    public Answer<UsageDecision> record(Usage cmd) {
        Answer<ExplainedDecision> answer = record(cmd, false);
        return new Answer<>(answer.body().decision(), answer.replayed());
    }

    /**
     * Decides and stores a usage request; with {@code explain}, a new decision also explains every lot. While a
     * {@link UsageBatcher} runs (the service's default), a request without explain waits for its batch; otherwise,
     * and with explain, it is a batch of its own.
     */
    public Answer<ExplainedDecision> record(Usage cmd, boolean explain) {
        return (explain ? recording.runAll(List.of(cmd), (tx, cmds) -> batch(tx, cmds, true)).get(0)
                : recording.submit(cmd)).answer();
    }

    /**
     * Starts group commit: from now on {@link #record} queues its request to one of {@code writers} writer threads,
     * each deciding and storing up to {@code maxBatch} waiting requests per transaction, until the batcher is closed.
     */
    public UsageBatcher startBatching(int writers, int maxBatch) {
        return recording.startBatching(runner -> new UsageBatcher(runner, writers, maxBatch, meters));
    }

    /**
     * Decides and stores several usage requests in one transaction, in the list's order: a request sees the effect
     * of the ones before it (on its account's lots, and a repeated request id is answered as the replay it is). A
     * request refused (unknown account, idempotency conflict, realm, unknown model, a rules error) gets its own
     * problem and leaves the others alone. When the transaction fails, {@link BatchRunner} tries each request alone.
     */
    public List<Outcome<ExplainedDecision>> recordAll(List<Usage> cmds) {
        return recording.runAll(cmds);
    }

    /**
     * A caller's batch (SPEC section 10): queued whole to the group-commit writers when they run (decided in one
     * transaction, in order, never split), else run here; each request answered as {@link #recordAll} answers it.
     */
    public List<Outcome<ExplainedDecision>> recordBatch(List<Usage> cmds) {
        return recording.submitAll(cmds);
    }

    private List<Outcome<ExplainedDecision>> batch(Tx tx, List<Usage> cmds, boolean explain) {
        return new UsageBatch(tx, cmds, engine.current(), evaluationTimer, clock, explain).run();
    }

    /** Counts the decisions a committed batch stored (not its replays) by status and reason. */
    private void count(List<Outcome<ExplainedDecision>> outcomes) {
        for (Outcome<ExplainedDecision> o : outcomes) {
            if (o.failure() == null && !o.answered().replayed()) {
                UsageDecision d = o.answered().body().decision();
                decisionCounters.computeIfAbsent(d.status().name() + "/" + d.reason().name(),
                        k -> meters.counter("credits.decisions", "status", d.status().name(),
                                "reason", d.reason().name())).increment();
            }
        }
    }

    /** A stored decision, as it was answered. */
    public UsageDecision find(String requestId) {
        return store.inTransaction(tx -> tx.usage().find(requestId).map(r -> DecisionRecords.decision(tx, r))
                .orElseThrow(() -> unknownRequest(requestId)));
    }

    /** A stored usage request: what was asked, the plan it was judged under, and the decision it got. */
    public record StoredUsage(Usage request, Plan plan, UsageDecision decision) {
    }

    /** The stored request behind a decision (what history and rules impact rebuild); realm left out as callers may. */
    public StoredUsage stored(String requestId) {
        return store.inTransaction(tx -> {
            DecisionRow r = tx.usage().find(requestId).orElseThrow(() -> unknownRequest(requestId));
            var price = tx.prices().ofUsage(requestId);
            Usage request = price.map(p -> new Usage(r.requestId(), r.accountId(), null, r.product(), r.feature(),
                    r.model(), r.outcome(), null, r.occurredAt(), p.inputTokens(), p.cachedInputTokens(),
                    p.outputTokens())).orElseGet(() -> new Usage(r.requestId(), r.accountId(), null, r.product(),
                    r.feature(), r.model(), r.outcome(), r.credits(), r.occurredAt()));
            return new StoredUsage(request, r.plan(), DecisionRecords.decision(tx, r));
        });
    }

    private static Problem unknownRequest(String requestId) {
        return new Problem(Problem.NOT_FOUND, "Unknown request", "no decision for request '" + requestId + "'",
                "requestId", null);
    }
}
