package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.LotExplanation;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.UsageExplanation;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.UsageVerdict;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PriceQuestion;
import dev.creditspolicy.policy.facts.UsageCall;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.EventRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PlanPeriodRow;
import dev.creditspolicy.store.Rows.PriceRow;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/**
 * Usage requests: load the account's lots, let the rules decide, apply the decision, all in one transaction under
 * the account's lock. The same request id never charges twice: the decision row's primary key sees to it.
 */
public final class UsageService {
    private static final Logger log = LoggerFactory.getLogger(UsageService.class);

    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer evaluationTimer;
    private final Counter fallbacks;
    /** The decisions counter per status and reason, looked up once each rather than per request. */
    private final Map<String, Counter> decisionCounters = new ConcurrentHashMap<>();
    private volatile UsageBatcher batcher;

    public UsageService(Store store, PolicyEngine engine, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.meters = meters;
        this.evaluationTimer = Timer.builder("credits.policy.evaluation")
                .description("time the rules take to decide one usage request").register(meters);
        this.fallbacks = Counter.builder("credits.usage.batch.fallbacks")
                .description("usage batches whose transaction failed, their requests then tried one by one")
                .register(meters);
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
        return store.inTransaction(tx -> {
            AccountRow account = Accounts.find(tx, cmd.accountId());
            if (cmd.requestId() != null) {
                DecisionRow row = tx.usage().find(cmd.requestId()).orElse(null);
                UsageDecision earlier = earlier(tx, canonical(cmd, account), row,
                        row == null && tx.holds().find(cmd.requestId()).isPresent());
                if (earlier != null) {
                    return new ExplainedDecision(earlier, null);
                }
            }
            checkRealm(cmd, account);
            Plan plan = PlanHistory.of(tx, account.accountId()).at(cmd.occurredAt());
            return explain
                    ? decide(cmd, account, plan, null, engine.current(), explainable(tx, account, cmd)).answer()
                    : decide(cmd, account, plan, Holdings.availableAt(tx, account.accountId(), cmd.occurredAt(),
                            null), engine.current(), null).answer();
        });
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
        UsageBatcher running = batcher;
        if (running != null && !explain) {
            return running.record(cmd);
        }
        return recordAll(List.of(cmd), explain).get(0).answer();
    }

    /**
     * Starts group commit: from now on {@link #record} queues its request to one of {@code writers} writer threads,
     * each deciding and storing up to {@code maxBatch} waiting requests per transaction, until the batcher is closed.
     */
    public synchronized UsageBatcher startBatching(int writers, int maxBatch) {
        if (batcher != null) {
            throw new IllegalStateException("usage batching already runs");
        }
        batcher = new UsageBatcher(this, writers, maxBatch, meters);
        return batcher;
    }

    synchronized void detach(GroupCommit<?, ?> closed) {
        if (batcher == closed) {
            batcher = null;
        }
    }

    /** What one request of a batch got: its answer, or the exception it would have got alone. */
    public record Outcome(Answer<ExplainedDecision> answered, RuntimeException failure) {
        static Outcome failed(RuntimeException e) {
            return new Outcome(null, e);
        }

        /** The answer, or the request's own exception thrown in the caller's thread. */
        public Answer<ExplainedDecision> answer() {
            if (failure != null) {
                throw failure;
            }
            return answered;
        }
    }

    /**
     * Decides and stores several usage requests in one transaction, in the list's order: a request sees the effect
     * of the ones before it (on its account's lots, and a repeated request id is answered as the replay it is). A
     * request refused (unknown account, idempotency conflict, realm, unknown model, a rules error) gets its own
     * problem and leaves the others alone. When the transaction fails (a database error past Store's retries), every
     * request is tried again alone, so that one cannot fail the others.
     */
    public List<Outcome> recordAll(List<Usage> cmds) {
        return recordAll(cmds, false);
    }

    private List<Outcome> recordAll(List<Usage> cmds, boolean explain) {
        List<Outcome> outcomes;
        try {
            outcomes = store.inTransaction(tx -> new Batch(tx, cmds, engine.current(), explain).run());
        } catch (RuntimeException e) {
            if (cmds.size() == 1) {
                return List.of(Outcome.failed(e));
            }
            fallbacks.increment();
            log.warn("usage batch of {} requests failed ({}); trying each alone", cmds.size(), e.toString());
            outcomes = cmds.stream().map(c -> recordAll(List.of(c), false).get(0)).toList();
            return outcomes; // counted by the single runs
        }
        for (Outcome o : outcomes) {
            if (o.failure() == null && !o.answered().replayed()) {
                UsageDecision d = o.answered().body().decision();
                decisionCounters.computeIfAbsent(d.status().name() + "/" + d.reason().name(),
                        k -> meters.counter("credits.decisions", "status", d.status().name(),
                                "reason", d.reason().name())).increment();
            }
        }
        return outcomes;
    }

    /**
     * One batch's transaction: the accounts locked in one statement, then one read each of the stored decisions
     * and hold ids among the batch's request ids, of the accounts' plan histories, payable lots and open holds; the
     * requests decided in order against an in-memory view of those lots; then one batched write per table.
     */
    private final class Batch {
        private final Tx tx;
        private final List<Usage> cmds;
        private final RuleSet rules;
        private final boolean explain;
        private final Map<String, AccountRow> accounts = new HashMap<>();
        private final Map<String, DecisionRow> stored;
        private final Set<String> holdIds;
        private final Map<String, List<PlanPeriodRow>> plans;
        /** Each account's payable lots, by lot id, with what this batch has drawn so far taken out. */
        private final Map<String, Map<String, LotRow>> lots = new HashMap<>();
        private final Set<String> withOpenHolds;
        /** The requests this batch has decided, by id: a repeat later in the batch is a replay of them. */
        private final Map<String, Decided> decided = new HashMap<>();
        private final List<DecisionRow> decisionRows = new ArrayList<>();
        private final Map<String, BigDecimal> drawn = new LinkedHashMap<>();
        private final List<AllocationRow> allocationRows = new ArrayList<>();
        private final Map<String, PriceRow> priceRows = new LinkedHashMap<>();
        private final List<EventRow> events = new ArrayList<>();

        Batch(Tx tx, List<Usage> cmds, RuleSet rules, boolean explain) {
            this.tx = tx;
            this.cmds = cmds;
            this.rules = rules;
            this.explain = explain;
            Set<String> accountIds = new TreeSet<>();
            Set<String> requestIds = new HashSet<>();
            Instant from = null;
            for (Usage c : cmds) {
                accountIds.add(c.accountId());
                requestIds.add(c.requestId());
                from = from == null || c.occurredAt().isBefore(from) ? c.occurredAt() : from;
            }
            tx.accounts().lockAll(accountIds).forEach(a -> accounts.put(a.accountId(), a));
            this.stored = tx.usage().findAll(requestIds);
            requestIds.removeAll(stored.keySet());
            this.holdIds = requestIds.isEmpty() ? Set.of() : tx.holds().existing(requestIds);
            Set<String> known = accounts.keySet();
            if (known.isEmpty()) {
                this.plans = Map.of();
                this.withOpenHolds = Set.of();
                return;
            }
            this.plans = tx.accounts().planHistories(known);
            for (LotRow l : tx.lots().payableAfter(known, from)) {
                lots.computeIfAbsent(l.accountId(), a -> new LinkedHashMap<>()).put(l.lotId(), l);
            }
            this.withOpenHolds = tx.holds().accountsWithOpenHolds(known);
        }

        List<Outcome> run() {
            List<Outcome> outcomes = new ArrayList<>(cmds.size());
            for (Usage cmd : cmds) {
                outcomes.add(one(cmd));
            }
            write();
            return outcomes;
        }

        private Outcome one(Usage cmd) {
            AccountRow account = accounts.get(cmd.accountId());
            if (account == null) {
                return Outcome.failed(Problem.unknownAccount(cmd.accountId()));
            }
            Usage canonical = canonical(cmd, account);
            try {
                UsageDecision earlier = earlier(canonical);
                if (earlier != null) {
                    return new Outcome(new Answer<>(new ExplainedDecision(earlier, null), true), null);
                }
                checkRealm(cmd, account);
            } catch (Problem p) {
                return Outcome.failed(p);
            }
            List<LotRow> payable = payable(account.accountId(), cmd.occurredAt());
            Plan plan = new PlanHistory(plans.get(account.accountId())).at(cmd.occurredAt());
            Decided d;
            try {
                d = decide(cmd, account, plan, payable, rules, explain ? explainable(tx, account, cmd) : null);
            } catch (RuntimeException e) {
                // the rules refused or failed this request alone (no database work happens while deciding)
                return Outcome.failed(e);
            }
            String hash = RequestHash.of(canonical);
            decided.put(cmd.requestId(), new Decided(d.decision(), d.plan(), null, hash));
            take(account.accountId(), cmd, account, d, hash);
            return new Outcome(new Answer<>(d.answer(), false), null);
        }

        /** The stored (or earlier in this batch) decision for this request id, or null; another body: conflict. */
        private UsageDecision earlier(Usage cmd) {
            Decided inBatch = decided.get(cmd.requestId());
            if (inBatch == null) {
                return UsageService.earlier(tx, cmd, stored.get(cmd.requestId()), holdIds.contains(cmd.requestId()));
            }
            if (!RequestHash.matches(inBatch.hash(), cmd)) {
                throw conflictingBody(cmd);
            }
            return inBatch.decision();
        }

        /**
         * The account's lots that can pay at {@code t}, with what open holds reserve taken out. Holds expired by
         * {@code t} are marked first (they can no longer be committed: this call may take their credits); an
         * account without open holds needs neither statement.
         */
        private List<LotRow> payable(String accountId, Instant t) {
            Map<String, BigDecimal> held = Map.of();
            if (withOpenHolds.contains(accountId)) {
                tx.holds().expireUpTo(accountId, t);
                held = tx.holds().heldAt(accountId, t, null);
            }
            List<LotRow> active = lots.getOrDefault(accountId, Map.of()).values().stream()
                    .filter(l -> l.payableAt(t)).toList();
            return Holdings.subtract(active, held, true);
        }

        /** The decision's rows, to be written with the batch; its draws taken out of the in-memory lots. */
        private void take(String accountId, Usage cmd, AccountRow account, Decided d, String hash) {
            UsageDecision decision = d.decision();
            DecisionRows rows = DecisionRows.of(cmd.requestId(), accountId, account.realm(), cmd.product(),
                    cmd.feature(), cmd.model(), cmd.outcome(), cost(cmd, decision), cmd.occurredAt(), d.plan(),
                    decision, hash, clock.instant(), cmd.tokens());
            Map<String, LotRow> accountLots = lots.get(accountId);
            for (Allocation a : decision.allocations()) {
                LotRow lot = accountLots == null ? null : accountLots.get(a.lotId());
                if (lot == null || lot.remaining().compareTo(a.amount()) < 0) {
                    // the rules drew on a lot they were not given, or beyond it: roll back rather than overdraw
                    throw new IllegalStateException("lot " + a.lotId() + " holds less than " + a.amount());
                }
                accountLots.put(a.lotId(), Holdings.withRemaining(lot, lot.remaining().subtract(a.amount())));
            }
            decisionRows.add(rows.decision());
            allocationRows.addAll(rows.allocations());
            rows.drawn().forEach((lot, amount) -> drawn.merge(lot, amount, BigDecimal::add));
            if (rows.price() != null) {
                priceRows.put(cmd.requestId(), rows.price());
            }
            events.add(new EventRow(null, accountId, EventKind.USAGE, cmd.requestId(), clock.instant()));
        }

        /** One round trip per table for the whole batch. */
        private void write() {
            tx.usage().insertAll(decisionRows);
            DecisionRows.deducted(tx.lots().deductAll(drawn));
            tx.usage().insertAllocations(allocationRows);
            tx.prices().insertUsages(priceRows);
            tx.accounts().insertEvents(events);
        }
    }

    /** A stored decision, as it was answered. */
    public UsageDecision find(String requestId) {
        return store.inTransaction(tx -> tx.usage().find(requestId).map(r -> stored(tx, r))
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
            return new StoredUsage(request, r.plan(), stored(tx, r));
        });
    }

    private static Problem unknownRequest(String requestId) {
        return new Problem(Problem.NOT_FOUND, "Unknown request", "no decision for request '" + requestId + "'",
                "requestId", null);
    }

    /**
     * The stored decision {@code row} for this request id, or null when there is none; a different body is an
     * idempotency conflict, and so is an id that is a hold's ({@code holdId}).
     */
    private static UsageDecision earlier(Tx tx, Usage cmd, DecisionRow row, boolean holdId) {
        if (row == null) {
            if (holdId) {
                // hold ids and request ids are one space: the commit of that hold will decide under this id
                throw Problem.conflict("requestId", "request id '" + cmd.requestId() + "' is a hold's id");
            }
            return null;
        }
        if (!RequestHash.matches(row.requestHash(), cmd)) {
            throw conflictingBody(cmd);
        }
        return stored(tx, row);
    }

    private static Problem conflictingBody(Usage cmd) {
        return Problem.conflict("requestId", "request '" + cmd.requestId() + "' was already decided for another body");
    }

    /** Explain mode: every lot of the account, holds taken out, so the rules can say why the others were not drawn. */
    private static List<LotRow> explainable(Tx tx, AccountRow account, Usage cmd) {
        return Holdings.subtract(tx.lots().ofAccount(account.accountId()),
                tx.holds().heldAt(account.accountId(), cmd.occurredAt(), null), false);
    }

    /** A body that leaves out the realm means the account's realm: both forms are the same request. */
    private static Usage canonical(Usage cmd, AccountRow account) {
        return cmd.realm() != null ? cmd : new Usage(cmd.requestId(), cmd.accountId(), account.realm(),
                cmd.product(), cmd.feature(), cmd.model(), cmd.outcome(), cmd.credits(), cmd.occurredAt(),
                cmd.inputTokens(), cmd.cachedInputTokens(), cmd.outputTokens());
    }

    private record Decided(UsageDecision decision, Plan plan, List<LotExplanation> explanation, String hash) {
        ExplainedDecision answer() {
            return new ExplainedDecision(decision, explanation);
        }
    }

    /**
     * The rules' decision for the call over these lots (no database work: a batch decides its requests in memory);
     * with {@code explainable}, every lot of the account, the decision also explains each.
     */
    private Decided decide(Usage cmd, AccountRow account, Plan plan, List<LotRow> lots, RuleSet rules,
                           List<LotRow> explainable) {
        UsageCall call = new UsageCall(cmd.requestId(), account.accountId(), account.realm(), plan, cmd.product(),
                cmd.feature(), cmd.model(), cmd.outcome(), cmd.credits(), cmd.occurredAt());
        PriceQuestion price = Pricing.question(cmd.model(), cmd.feature(), cmd.occurredAt(), cmd.tokens());
        if (explainable != null) {
            UsageExplanation explanation = rules.explainUsage(call,
                    explainable.stream().map(LotRow::toFact).toList(), price);
            Pricing.refuseUnpriced(explanation.verdict(), cmd.model(), cmd.occurredAt());
            UsageDecision decision = Deduction.decide(call, explanation.verdict());
            Map<String, BigDecimal> drawn = new HashMap<>();
            decision.allocations().forEach(a -> drawn.merge(a.lotId(), a.amount(), BigDecimal::add));
            return new Decided(decision, plan, explanation.explain(decision.status(), drawn), null);
        }
        Timer.Sample sample = Timer.start(meters);
        UsageVerdict verdict = rules.evaluateUsage(call, lots.stream().map(LotRow::toFact).toList(), price);
        sample.stop(evaluationTimer);
        Pricing.refuseUnpriced(verdict, cmd.model(), cmd.occurredAt());
        return new Decided(Deduction.decide(call, verdict), plan, null, null);
    }

    /** What the call cost: its credits, or the price the rules made of its tokens. */
    private static BigDecimal cost(Usage cmd, UsageDecision decision) {
        return decision.price() != null ? decision.price().credits() : cmd.credits();
    }

    static void checkRealm(Usage cmd, AccountRow account) {
        if (cmd.realm() != null && cmd.realm() != account.realm()) {
            throw new Problem(Problem.REALM_MISMATCH, "Realm mismatch", "account '" + account.accountId()
                    + "' belongs to realm " + account.realm() + ", the call names " + cmd.realm()
                    + "; credits of different realms are never interchangeable", "realm", null);
        }
    }

    static UsageDecision stored(Tx tx, DecisionRow r) {
        return DecisionRecords.decisions(tx, List.of(r)).get(0);
    }
}
