package dev.creditspolicy.policy.facts;

import java.time.Instant;

/**
 * The question pricing.drl and the price table (tables/prices.csv) answer: what does a call of this model and
 * feature at this instant cost, having consumed these tokens. Asked only for calls that send token counts instead of
 * credits; the answer is one {@link Price} (or an {@link Unpriced} model).
 */
public final class PriceQuestion {
    private final String model;
    private final Feature feature;
    private final Instant at;
    private final long inputTokens;
    private final long cachedInputTokens;
    private final long outputTokens;
    private final boolean listing;

    public PriceQuestion(String model, Feature feature, Instant at, long inputTokens, long cachedInputTokens,
                         long outputTokens) {
        this(model, feature, at, inputTokens, cachedInputTokens, outputTokens, false);
    }

    private PriceQuestion(String model, Feature feature, Instant at, long inputTokens, long cachedInputTokens,
                          long outputTokens, boolean listing) {
        this.listing = listing;
        this.model = model;
        this.feature = feature;
        this.at = at;
        this.inputTokens = inputTokens;
        this.cachedInputTokens = cachedInputTokens;
        this.outputTokens = outputTokens;
    }

    /**
     * The question "which models are priced at this instant" (asked when a call names a model without a price, to
     * name the priced ones): every price row in force then answers it, whatever its model.
     */
    public static PriceQuestion listing(Feature feature, Instant at) {
        return new PriceQuestion("", feature, at, 0, 0, 0, true);
    }

    /**
     * A price row's model if this question asks for it (the call's model, or any when listing), else null: the
     * table binds the row's model with it ({@code $model : asks("qwen3-coder") != null}), so the model is written
     * once per row.
     */
    public String asks(String rowModel) {
        String m = rowModel.strip();
        return listing || model.equals(m) ? m : null;
    }

    public boolean isListing() { return listing; }
    public String getModel() { return model; }
    public Feature getFeature() { return feature; }
    /** The call's occurredAt: a call reported late is priced at the price of its own instant. */
    public Instant getAt() { return at; }
    public long getInputTokens() { return inputTokens; }
    public long getCachedInputTokens() { return cachedInputTokens; }
    public long getOutputTokens() { return outputTokens; }
}
