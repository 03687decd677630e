package dev.creditspolicy.policy.facts;

import java.time.Instant;

/**
 * The question pricing.drl answers: what does a call of this model and feature at this instant cost, having consumed
 * these tokens. Asked only for calls that send token counts instead of credits; the answer is one {@link Price} (or
 * an {@link Unpriced} model). The rules see the question as asked of their own price table (tables/prices.csv):
 * {@link #getRate()} is the table's row for the model in force at the call's instant, {@link #getMultiplier()} the
 * feature's row.
 */
public final class PriceQuestion {
    private final String model;
    private final Feature feature;
    private final Instant at;
    private final long inputTokens;
    private final long cachedInputTokens;
    private final long outputTokens;
    private final ModelRate rate;
    private final FeatureMultiplier multiplier;

    public PriceQuestion(String model, Feature feature, Instant at, long inputTokens, long cachedInputTokens,
                         long outputTokens) {
        this(model, feature, at, inputTokens, cachedInputTokens, outputTokens, null, null);
    }

    private PriceQuestion(String model, Feature feature, Instant at, long inputTokens, long cachedInputTokens,
                          long outputTokens, ModelRate rate, FeatureMultiplier multiplier) {
        this.model = model;
        this.feature = feature;
        this.at = at;
        this.inputTokens = inputTokens;
        this.cachedInputTokens = cachedInputTokens;
        this.outputTokens = outputTokens;
        this.rate = rate;
        this.multiplier = multiplier;
    }

    /** The same question asked of {@code table}: its rows for this model at this instant, and for this feature. */
    public PriceQuestion in(PriceTable table) {
        return new PriceQuestion(model, feature, at, inputTokens, cachedInputTokens, outputTokens,
                table.rateOf(model, at), table.multiplierOf(feature));
    }

    public String getModel() { return model; }
    public Feature getFeature() { return feature; }
    /** The call's occurredAt: a call reported late is priced at the price of its own instant. */
    public Instant getAt() { return at; }
    public long getInputTokens() { return inputTokens; }
    public long getCachedInputTokens() { return cachedInputTokens; }
    public long getOutputTokens() { return outputTokens; }
    /** The price table's row for the model in force at the call's instant; null when the table prices it not. */
    public ModelRate getRate() { return rate; }
    /** The price table's multiplier row for the call's feature. */
    public FeatureMultiplier getMultiplier() { return multiplier; }
}
