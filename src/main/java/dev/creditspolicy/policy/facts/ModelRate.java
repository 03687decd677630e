package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;

/**
 * Conclusion of a row of the price table: a model's rates, in credits per thousand tokens of each kind, in force at
 * the question's instant. Built by the row's columns one after the other (model, input, cached input, output), so
 * each is one cell of the spreadsheet; a cached-input rate left empty is the input rate.
 */
public final class ModelRate implements Conclusions {
    private final String model;
    private final String rule;
    private BigDecimal input;
    private BigDecimal cachedInput;
    private BigDecimal output;

    public ModelRate(String model, String rule) {
        this.model = model.strip();
        this.rule = rule;
    }

    public ModelRate input(String perThousand) {
        this.input = rate(perThousand);
        return this;
    }

    public ModelRate cachedInput(String perThousand) {
        this.cachedInput = rate(perThousand);
        return this;
    }

    public ModelRate output(String perThousand) {
        this.output = rate(perThousand);
        return this;
    }

    private static BigDecimal rate(String perThousand) {
        BigDecimal v = Decimals.parse(perThousand, "a rate per 1,000 tokens");
        if (v.signum() < 0) {
            throw new IllegalArgumentException("a rate cannot be negative: " + perThousand);
        }
        return v;
    }

    public String getModel() { return model; }
    /** The table row that set these rates. */
    public String getRule() { return rule; }
    public BigDecimal getInput() { return input; }
    public BigDecimal getCachedInput() { return cachedInput != null ? cachedInput : input; }
    public BigDecimal getOutput() { return output; }
    /** Both the input and the output rate are given (a row without them prices nothing). */
    public boolean isComplete() { return input != null && output != null; }
}
