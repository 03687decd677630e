package dev.creditspolicy.policy;

import java.util.Map;
import java.util.TreeMap;

import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;

/**
 * What one evaluation may spend: rule firings and wall-clock time. Rules that keep re-activating each other (or a
 * rule that updates the fact it matches) would otherwise fire forever and hold the request, replay or rules check.
 * A consequence that spins on its own cannot be stopped from outside, so the rule checker refuses loops in rule files;
 * this budget catches the rest. The limits are a resource guard, not policy: they never change a decision that
 * stays within them.
 *
 * @param baseFirings    firings allowed for any evaluation
 * @param firingsPerFact firings allowed on top for each fact (an account with many lots fires rules per lot)
 * @param maxMillis      wall-clock time allowed for one evaluation
 */
public record EvaluationBudget(int baseFirings, int firingsPerFact, long maxMillis) {
    /** 10,000 firings plus 100 per fact, 2 s: a usage call of this rule set fires about 5 plus 2 per lot. */
    public static final EvaluationBudget DEFAULT = new EvaluationBudget(10_000, 100, 2_000);

    /** The same firing limits, and no time limit (about 146 years). */
    public EvaluationBudget firingsOnly() {
        return new EvaluationBudget(baseFirings, firingsPerFact, Long.MAX_VALUE / 1_000_000 / 2);
    }

    long maxFirings(int facts) {
        return baseFirings + (long) firingsPerFact * facts;
    }

    /** Watches one evaluation: counts firings per rule and halts the session once the budget is spent. */
    final class Watch extends DefaultAgendaEventListener {
        private final long maxFirings;
        private final long startNs = System.nanoTime();
        private final long deadlineNs;
        private final Map<String, Long> byRule = new TreeMap<>();
        private long firings;
        private boolean spent;

        Watch(int facts) {
            this.maxFirings = maxFirings(facts);
            this.deadlineNs = startNs + maxMillis * 1_000_000;
        }

        long firingLimit() {
            return maxFirings;
        }

        @Override
        public void beforeMatchFired(BeforeMatchFiredEvent event) {
            firings++;
            byRule.merge(event.getMatch().getRule().getName(), 1L, Long::sum);
            if (firings > maxFirings || System.nanoTime() > deadlineNs) {
                spent = true;
                event.getKieRuntime().halt();
            }
        }

        boolean spent() {
            return spent || System.nanoTime() > deadlineNs;
        }

        /** The rule that fired most: in a loop, the one that keeps re-activating. */
        RulesBudgetExceeded failure() {
            String rule = byRule.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse(null);
            long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            return new RulesBudgetExceeded(rule, byRule.getOrDefault(rule, 0L), firings, elapsedMs,
                    EvaluationBudget.this);
        }
    }
}
