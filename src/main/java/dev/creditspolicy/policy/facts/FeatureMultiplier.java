package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;

/** A row of the price table's feature multipliers: what a feature's calls cost relative to the model's rates. */
public final class FeatureMultiplier {
    private final Feature feature;
    private final BigDecimal multiplier;
    private final String rule;

    public FeatureMultiplier(Feature feature, BigDecimal multiplier, String rule) {
        this.feature = feature;
        this.multiplier = multiplier;
        this.rule = rule;
    }

    public Feature getFeature() { return feature; }
    public BigDecimal getMultiplier() { return multiplier; }
    /** The row's name in the table: the decision lists it among the pricing rules that priced the call. */
    public String getRule() { return rule; }
}
