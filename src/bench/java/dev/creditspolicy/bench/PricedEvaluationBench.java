package dev.creditspolicy.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PriceQuestion;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.UsageCall;

/**
 * What pricing adds (issue 18): the in-process evaluation of {@link EvaluationBench} ({@code credits}: a call that
 * sends its credits) beside the same call sending its tokens ({@code tokens}: the rules also price it, in the same
 * KieSession, from pricing.drl and tables/prices.csv). Both in one JMH run, on the same lots, so the machine's drift
 * falls on both alike. Run it with {@code bench/run.sh --pricing}.
 */
@State(Scope.Benchmark)
public class PricedEvaluationBench {
    @Param({"20"})
    public int lots;

    private RuleSet rules;
    private List<Lot> facts;
    private UsageCall inCredits;
    private UsageCall inTokens;
    private PriceQuestion price;

    @Setup
    public void setUp() {
        rules = PolicyEngine.load(Path.of(System.getProperty(EvaluationBench.RULES_PROPERTY, "rules")),
                Clock.systemUTC()).current();
        facts = EvaluationBench.lots(lots);
        inCredits = IN_CREDITS;
        inTokens = IN_TOKENS;
        price = PRICE;
        UsageDecision a = credits();
        UsageDecision b = tokens();
        if (a.allocations().isEmpty() || b.allocations().isEmpty() || b.price() == null) {
            throw new IllegalStateException("both benchmark calls must be charged: " + a + " / " + b);
        }
    }

    private static final java.time.Instant AT = OffsetDateTime.parse("2026-07-15T10:00:00+08:00").toInstant();
    /** About the same cost either way: 15 credits, or the tokens' price below. */
    static final UsageCall IN_CREDITS = new UsageCall("bench-1", "acct-1", Realm.QODER, Plan.PERSONAL_PRO,
            Product.CLI, Feature.QUEST_AGENT, "qwen3-coder", Outcome.SUCCEEDED, new java.math.BigDecimal("15"), AT);
    static final UsageCall IN_TOKENS = new UsageCall("bench-1", "acct-1", Realm.QODER, Plan.PERSONAL_PRO,
            Product.CLI, Feature.QUEST_AGENT, "qwen3-coder", Outcome.SUCCEEDED, null, AT);
    /** (27,500 x 0.2 + 2,000 cached x 0.05 + 2,500 x 0.8) / 1,000 x 2 = (5.5 + 0.1 + 2) x 2 = 15.2 */
    static final PriceQuestion PRICE = new PriceQuestion("qwen3-coder", Feature.QUEST_AGENT, AT, 27_500, 2_000,
            2_500);

    @Benchmark
    public UsageDecision credits() {
        return Deduction.decide(inCredits, rules.evaluateUsage(inCredits, facts));
    }

    @Benchmark
    public UsageDecision tokens() {
        return Deduction.decide(inTokens, rules.evaluateUsage(inTokens, facts, price));
    }
}
