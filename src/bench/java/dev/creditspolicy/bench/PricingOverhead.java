package dev.creditspolicy.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.Lot;

/**
 * What pricing adds to the in-process evaluation (issue 18: at most 10%), measured paired: one JVM alternates blocks
 * of the {@link PricedEvaluationBench} calls, in credits and in tokens (the same 20 lots), round after round, so
 * whatever else the machine does falls on both alike; each round gives one ratio, and the report gives their median
 * and quartiles beside the time and the allocation per call. On this 2-core machine, separate JMH runs of the two
 * calls drifted more than the difference between them (bench/README.md); the paired ratio repeats to about a point.
 *
 * <p>Writes {@code <out>/pricing.md} and {@code <out>/pricing.json}; fails when the tokens call is not priced.
 */
public final class PricingOverhead {
    private static final int BLOCK = 2_000;

    private PricingOverhead() {
    }

    public static void main(String[] args) throws IOException {
        Path rulesDir = Path.of(System.getProperty(EvaluationBench.RULES_PROPERTY, "rules"));
        Path out = Path.of(System.getProperty("credits.bench.out", "bench/results"));
        int rounds = Integer.getInteger("credits.bench.pricing.rounds", 60);
        int warmup = Integer.getInteger("credits.bench.pricing.warmup", 20);
        RuleSet rules = PolicyEngine.load(rulesDir, Clock.systemUTC()).current();
        List<Lot> lots = EvaluationBench.lots(20);
        UsageDecision priced = tokens(rules, lots);
        if (priced.price() == null || priced.allocations().isEmpty() || credits(rules, lots).allocations().isEmpty()) {
            throw new IllegalStateException("both calls must be charged and the tokens call priced: " + priced);
        }

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long[] creditsNs = new long[rounds];
        long[] tokensNs = new long[rounds];
        long creditsBytes = 0;
        long tokensBytes = 0;
        for (int r = -warmup; r < rounds; r++) {
            // the order alternates, so neither call always runs first in a round
            boolean creditsFirst = (r & 1) == 0;
            long[] ns = new long[2];
            long[] bytes = new long[2];
            for (int turn = 0; turn < 2; turn++) {
                boolean inCredits = creditsFirst == (turn == 0);
                long b0 = threads.getThreadAllocatedBytes(thread);
                long t0 = System.nanoTime();
                for (int i = 0; i < BLOCK; i++) {
                    consume(inCredits ? credits(rules, lots) : tokens(rules, lots));
                }
                ns[inCredits ? 0 : 1] = System.nanoTime() - t0;
                bytes[inCredits ? 0 : 1] = threads.getThreadAllocatedBytes(thread) - b0;
            }
            if (r >= 0) {
                creditsNs[r] = ns[0];
                tokensNs[r] = ns[1];
                creditsBytes += bytes[0];
                tokensBytes += bytes[1];
            }
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = (double) tokensNs[r] / creditsNs[r];
        }
        Arrays.sort(ratios);
        double creditsUs = median(creditsNs) / 1_000.0 / BLOCK;
        double tokensUs = median(tokensNs) / 1_000.0 / BLOCK;
        long creditsB = creditsBytes / rounds / BLOCK;
        long tokensB = tokensBytes / rounds / BLOCK;
        double ratio = ratios[rounds / 2];
        double q1 = ratios[rounds / 4];
        double q3 = ratios[(3 * rounds) / 4];
        boolean met = ratio <= 1.10;
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        String md = String.format(Locale.ROOT, """
                # Pricing overhead (issue 18), paired

                %s, rules `%s`, 20 lots, %d rounds of %,d calls each way after %d warm-up rounds, load average %.2f at the end.

                | call | median per call (us) | allocated per call (B) |
                |---|---:|---:|
                | `credits` (sends 15 credits) | %.2f | %,d |
                | `tokens` (sends 27,500 / 2,000 cached / 2,500 tokens: priced 15.2) | %.2f | %,d |

                Pricing adds **%+.1f%%** (median of the rounds' ratios; quartiles %+.1f%% to %+.1f%%), allocation %+.1f%%.
                Target at most +10%%: **%s**.
                """, Instant.now(), rules.version(), rounds, BLOCK, warmup, load, creditsUs, creditsB, tokensUs,
                tokensB, (ratio - 1) * 100, (q1 - 1) * 100, (q3 - 1) * 100,
                100.0 * (tokensB - creditsB) / creditsB, met ? "met" : "missed");
        String json = String.format(Locale.ROOT, """
                {"at":"%s","rulesVersion":"%s","lots":20,"rounds":%d,"block":%d,"loadAverage":%.2f,\
                "creditsMedianUs":%.3f,"tokensMedianUs":%.3f,"creditsBytesPerCall":%d,"tokensBytesPerCall":%d,\
                "ratioMedian":%.4f,"ratioQ1":%.4f,"ratioQ3":%.4f,"targetMet":%s}
                """, Instant.now(), rules.version(), rounds, BLOCK, load, creditsUs, tokensUs, creditsB, tokensB,
                ratio, q1, q3, met);
        Files.createDirectories(out);
        Files.writeString(out.resolve("pricing.md"), md);
        Files.writeString(out.resolve("pricing.json"), json);
        System.out.print(md);
    }

    private static UsageDecision credits(RuleSet rules, List<Lot> lots) {
        return Deduction.decide(PricedEvaluationBench.IN_CREDITS,
                rules.evaluateUsage(PricedEvaluationBench.IN_CREDITS, lots));
    }

    private static UsageDecision tokens(RuleSet rules, List<Lot> lots) {
        return Deduction.decide(PricedEvaluationBench.IN_TOKENS,
                rules.evaluateUsage(PricedEvaluationBench.IN_TOKENS, lots, PricedEvaluationBench.PRICE));
    }

    private static int sink;

    /** Keeps the JIT from dropping a call whose answer nobody reads. */
    private static void consume(UsageDecision d) {
        sink += d.allocations().size();
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
