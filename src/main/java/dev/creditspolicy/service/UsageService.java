package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.LotExplanation;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.UsageExplanation;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.UsageVerdict;
import dev.creditspolicy.policy.facts.Lot;
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
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PriceRow;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/**
 * Usage requests: load the account's lots, let the rules decide, apply the decision, all in one transaction under
 * the account's lock. The same request id never charges twice: the decision row's primary key sees to it.
 */
public final class UsageService {
    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer evaluationTimer;

    public UsageService(Store store, PolicyEngine engine, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.meters = meters;
        this.evaluationTimer = Timer.builder("credits.policy.evaluation")
                .description("time the rules take to decide one usage request").register(meters);
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
                UsageDecision earlier = earlier(tx, canonical(cmd, account));
                if (earlier != null) {
                    return new ExplainedDecision(earlier, null);
                }
            }
            checkRealm(cmd, account);
            return decide(tx, cmd, account, engine.current(), explain).answer();
        });
    }

    public Answer<UsageDecision> record(Usage cmd) {
        Answer<ExplainedDecision> answer = record(cmd, false);
        return new Answer<>(answer.body().decision(), answer.replayed());
    }

    /** Decides and stores a usage request; with {@code explain}, a new decision also explains every lot. */
    public Answer<ExplainedDecision> record(Usage cmd, boolean explain) {
        Answer<ExplainedDecision> answer = store.inTransaction(tx -> {
            AccountRow account = Accounts.lock(tx, cmd.accountId());
            Usage canonical = canonical(cmd, account);
            UsageDecision earlier = earlier(tx, canonical);
            if (earlier != null) {
                return new Answer<>(new ExplainedDecision(earlier, null), true);
            }
            checkRealm(cmd, account);
            // holds expired by this call's instant can no longer be committed: it may take their credits
            tx.holds().expireUpTo(account.accountId(), cmd.occurredAt());
            Decided d = decide(tx, cmd, account, engine.current(), explain);
            apply(tx, cmd, account, d, RequestHash.of(canonical));
            return new Answer<>(d.answer(), false);
        });
        if (!answer.replayed()) {
            UsageDecision d = answer.body().decision();
            meters.counter("credits.decisions", "status", d.status().name(), "reason", d.reason().name())
                    .increment();
        }
        return answer;
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

    /** The stored decision for this request id, or null; a different body is an idempotency conflict. */
    private static UsageDecision earlier(Tx tx, Usage cmd) {
        var existing = tx.usage().find(cmd.requestId());
        if (existing.isEmpty()) {
            if (tx.holds().find(cmd.requestId()).isPresent()) {
                // hold ids and request ids are one space: the commit of that hold will decide under this id
                throw Problem.conflict("requestId", "request id '" + cmd.requestId() + "' is a hold's id");
            }
            return null;
        }
        if (!RequestHash.matches(existing.get().requestHash(), cmd)) {
            throw Problem.conflict("requestId", "request '" + cmd.requestId()
                    + "' was already decided for another body");
        }
        return stored(tx, existing.get());
    }

    /** A body that leaves out the realm means the account's realm: both forms are the same request. */
    private static Usage canonical(Usage cmd, AccountRow account) {
        return cmd.realm() != null ? cmd : new Usage(cmd.requestId(), cmd.accountId(), account.realm(),
                cmd.product(), cmd.feature(), cmd.model(), cmd.outcome(), cmd.credits(), cmd.occurredAt(),
                cmd.inputTokens(), cmd.cachedInputTokens(), cmd.outputTokens());
    }

    private record Decided(UsageDecision decision, Plan plan, List<LotExplanation> explanation) {
        ExplainedDecision answer() {
            return new ExplainedDecision(decision, explanation);
        }
    }

    private Decided decide(Tx tx, Usage cmd, AccountRow account, RuleSet rules, boolean explain) {
        Plan plan = PlanHistory.of(tx, account.accountId()).at(cmd.occurredAt());
        UsageCall call = new UsageCall(cmd.requestId(), account.accountId(), account.realm(), plan, cmd.product(),
                cmd.feature(), cmd.model(), cmd.outcome(), cmd.credits(), cmd.occurredAt());
        PriceQuestion price = Pricing.question(cmd.model(), cmd.feature(), cmd.occurredAt(), cmd.tokens());
        if (explain) {
            // every lot of the account, so the rules can say why the inactive ones were not drawn either
            List<Lot> all = Holdings.subtract(tx.lots().ofAccount(account.accountId()),
                    tx.holds().heldAt(account.accountId(), cmd.occurredAt(), null), false).stream()
                    .map(LotRow::toFact).toList();
            UsageExplanation explanation = rules.explainUsage(call, all, price);
            Pricing.refuseUnpriced(explanation.verdict(), cmd.model(), cmd.occurredAt());
            UsageDecision decision = Deduction.decide(call, explanation.verdict());
            Map<String, BigDecimal> drawn = new HashMap<>();
            decision.allocations().forEach(a -> drawn.merge(a.lotId(), a.amount(), BigDecimal::add));
            return new Decided(decision, plan, explanation.explain(decision.status(), drawn));
        }
        List<LotRow> lots = Holdings.availableAt(tx, account.accountId(), cmd.occurredAt(), null);
        Timer.Sample sample = Timer.start(meters);
        UsageVerdict verdict = rules.evaluateUsage(call, lots.stream().map(LotRow::toFact).toList(), price);
        sample.stop(evaluationTimer);
        Pricing.refuseUnpriced(verdict, cmd.model(), cmd.occurredAt());
        return new Decided(Deduction.decide(call, verdict), plan, null);
    }

    private void apply(Tx tx, Usage cmd, AccountRow account, Decided d, String hash) {
        UsageDecision decision = d.decision();
        tx.usage().insert(new DecisionRow(cmd.requestId(), account.accountId(), account.realm(), cmd.product(),
                cmd.feature(), cmd.model(), cmd.outcome(), cost(cmd, decision), cmd.occurredAt(), d.plan(),
                decision.status(), decision.reason(), decision.charged(), decision.shortfall(),
                decision.balanceAfter(), decision.rulesVersion(), String.join("\n", decision.firedRules()), hash,
                clock.instant()));
        List<AllocationRow> rows = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Allocation a : decision.allocations()) {
            if (tx.lots().deduct(a.lotId(), a.amount()) != 1) {
                // cannot happen under the account lock; if it does, roll back rather than overdraw
                throw new IllegalStateException("lot " + a.lotId() + " holds less than " + a.amount());
            }
            rows.add(new AllocationRow(cmd.requestId(), rows.size() + 1, a.lotId(), a.type(), a.amount()));
            total = total.add(a.amount());
        }
        if (total.compareTo(decision.charged()) != 0) {
            throw new IllegalStateException("allocations " + total + " differ from charged " + decision.charged());
        }
        tx.usage().insertAllocations(rows);
        PriceRow price = Pricing.row(cmd.tokens(), decision);
        if (price != null) {
            tx.prices().insertUsage(cmd.requestId(), price);
        }
        Accounts.event(tx, clock, account.accountId(), EventKind.USAGE, cmd.requestId());
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
        List<Allocation> allocations = tx.usage().allocations(r.requestId()).stream()
                .map(a -> new Allocation(a.lotId(), a.lotType(), a.amount())).toList();
        return Pricing.withPrice(tx, new UsageDecision(r.requestId(), r.status(), r.reason(), r.charged(),
                r.shortfall(), allocations, r.balanceAfter(), r.rulesVersion(), Accounts.splitRules(r.firedRules())));
    }
}
