package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;

/** Conclusion of the price table: what a feature's calls cost relative to the model's rates (Experts mode more). */
public final class FeatureMultiplier implements Conclusions {
    private final BigDecimal multiplier;
    private final String rule;

    public FeatureMultiplier(String multiplier, String rule) {
        BigDecimal v = Decimals.parse(multiplier, "a multiplier");
        if (v.signum() < 0) {
            throw new IllegalArgumentException("a multiplier cannot be negative: " + multiplier);
        }
        this.multiplier = v;
        this.rule = rule;
    }

    public BigDecimal getMultiplier() { return multiplier; }
    public String getRule() { return rule; }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureMultiplier other && other.multiplier.compareTo(multiplier) == 0
                && other.rule.equals(rule);
    }

    @Override
    public int hashCode() {
        return rule.hashCode();
    }
}
