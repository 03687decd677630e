package dev.creditspolicy.policy;

/**
 * An evaluation spent its budget ({@link EvaluationBudget}): the rules did not come to a decision. Nothing may be
 * stored for it; the session it ran in is destroyed rather than reused.
 */
public final class RulesBudgetExceeded extends RuntimeException {
    public static final String SLUG = "rules-timeout";

    private final String rule;

    RulesBudgetExceeded(String rule, long ruleFirings, long firings, long elapsedMs, EvaluationBudget budget) {
        super("the rules did not decide within their budget (" + budget.maxMillis() + " ms, "
                + budget.baseFirings() + " firings + " + budget.firingsPerFact() + " per fact): " + firings
                + " firings in " + elapsedMs + " ms" + (rule == null ? "" : ", rule \"" + rule + "\" fired "
                + ruleFirings + " times; does it keep re-activating itself or another rule?"));
        this.rule = rule;
    }

    /** The rule that fired most, or null when none fired. */
    public String rule() {
        return rule;
    }
}
