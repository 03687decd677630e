package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A row of the price table's model rates: a model's rates, in credits per thousand tokens of each kind, from an
 * instant (included; null: always) until another (excluded; null: open). A cached-input rate the row leaves empty is
 * the input rate. Immutable: built once when the rules are loaded, shared by every call it prices.
 */
public final class ModelRate {
    private final String model;
    private final Instant from;
    private final Instant until;
    private final BigDecimal input;
    private final BigDecimal cachedInput;
    private final BigDecimal output;
    private final String rule;

    public ModelRate(String model, Instant from, Instant until, BigDecimal input, BigDecimal cachedInput,
                     BigDecimal output, String rule) {
        this.model = model;
        this.from = from;
        this.until = until;
        this.input = input;
        this.cachedInput = cachedInput != null ? cachedInput : input;
        this.output = output;
        this.rule = rule;
    }

    /** The row serves a call at {@code at}: from its From (included) until its Until (excluded). */
    public boolean isInForceAt(Instant at) {
        return (from == null || !at.isBefore(from)) && (until == null || at.isBefore(until));
    }

    /** Two rows of one model that both serve some instant. */
    public boolean overlaps(ModelRate other) {
        return (from == null || other.until == null || from.isBefore(other.until))
                && (other.from == null || until == null || other.from.isBefore(until));
    }

    public String getModel() { return model; }
    public Instant getFrom() { return from; }
    public Instant getUntil() { return until; }
    /** The row's name in the table: the decision lists it among the pricing rules that priced the call. */
    public String getRule() { return rule; }
    public BigDecimal getInput() { return input; }
    public BigDecimal getCachedInput() { return cachedInput; }
    public BigDecimal getOutput() { return output; }
}
