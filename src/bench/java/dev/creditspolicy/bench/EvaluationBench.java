package dev.creditspolicy.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
import dev.creditspolicy.policy.UsageVerdict;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.UsageCall;

/**
 * One usage decision in process, as UsageService makes it after reading the account: exemption + sharing +
 * priority (RuleSet.evaluateUsage, one KieSession) and the ledger arithmetic (Deduction.decide), with N lots on
 * the account. Modes, iterations and forks are set by the runner ({@link BenchMain}).
 */
@State(Scope.Benchmark)
public class EvaluationBench {
    static final String RULES_PROPERTY = "credits.bench.rules";

    /** One compile per JVM: with forks (the normal runs) each fork compiles once anyway; without, it is shared. */
    private static final java.util.Map<String, RuleSet> RULES = new java.util.concurrent.ConcurrentHashMap<>();

    @Param({"1", "20", "200", "2000"})
    public int lots;

    private RuleSet rules;
    private UsageCall call;
    private List<Lot> facts;

    @Setup
    public void setUp() {
        rules = RULES.computeIfAbsent(System.getProperty(RULES_PROPERTY, "rules"),
                dir -> PolicyEngine.load(Path.of(dir), Clock.systemUTC()).current());
        facts = lots(lots);
        call = new UsageCall("bench-1", "acct-1", Realm.QODER, Plan.PERSONAL_PRO, Product.CLI, Feature.QUEST_AGENT,
                "qwen3-coder", Outcome.SUCCEEDED, new BigDecimal(lots == 1 ? "5" : "15"),
                OffsetDateTime.parse("2026-07-15T10:00:00+08:00").toInstant());
        UsageDecision d = evaluate();
        if (d.allocations().isEmpty()) {
            throw new IllegalStateException("the benchmark call must be charged: " + d);
        }
    }

    /**
     * An account's lots as they come from the database: one plan lot of the cycle, the rest add-ons (purchases and
     * promotions, a third of them naming an origin product), expiries spread so that the order matters.
     */
    static List<Lot> lots(int n) {
        Instant cycleStart = OffsetDateTime.parse("2026-07-01T00:00:00+08:00").toInstant();
        Instant cycleEnd = OffsetDateTime.parse("2026-08-01T00:00:00+08:00").toInstant();
        List<Lot> list = new ArrayList<>(n);
        Product[] products = Product.values();
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                list.add(new Lot("lot-plan", "acct-1", Realm.QODER, LotSource.PLAN, Plan.PERSONAL_PRO, null,
                        cycleStart, cycleEnd, new BigDecimal("10.0000")));
            } else {
                LotSource source = i % 2 == 0 ? LotSource.PURCHASE : LotSource.PROMOTION;
                Product origin = i % 3 == 0 ? products[i % products.length] : null;
                list.add(new Lot(String.format("lot-%05d", i), "acct-1", Realm.QODER, source, null, origin,
                        cycleStart.minusSeconds(86_400L * (i % 20)), cycleEnd.plusSeconds(3_600L * ((i * 7919L) % 2000)),
                        new BigDecimal("10.0000")));
            }
        }
        return list;
    }

    @Benchmark
    public UsageDecision evaluate() {
        UsageVerdict verdict = rules.evaluateUsage(call, facts);
        return Deduction.decide(call, verdict);
    }
}
