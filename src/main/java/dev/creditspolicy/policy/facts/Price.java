package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.util.List;

/**
 * Conclusion of pricing.drl: what a call costs and how that was reached. The arithmetic is here (exact decimals);
 * the numbers (rates, multiplier, minimum) and the rounding are the rules'. The tokens of each kind at their rate per
 * thousand, summed, times the multiplier: {@code unrounded}; rounded to 4 decimals as the rule says: {@code rounded};
 * below the minimum, the minimum: {@code credits}.
 */
public final class Price implements Conclusions {
    public static final int SCALE = 4;
    /** The largest minimum price per call a rule may state (credits). */
    public static final BigDecimal MAX_MINIMUM = new BigDecimal("1000000");

    private final PriceQuestion question;
    private final ModelRate rate;
    private final FeatureMultiplier multiplier;
    private final BigDecimal minimum;
    private final PriceRounding rounding;
    private final BigDecimal unrounded;
    private final BigDecimal rounded;
    private final BigDecimal credits;
    private final List<String> rules;

    private Price(PriceQuestion question, ModelRate rate, FeatureMultiplier multiplier, BigDecimal minimum,
                  PriceRounding rounding, String rule) {
        this.question = question;
        this.rate = rate;
        this.multiplier = multiplier;
        this.minimum = minimum.setScale(SCALE, java.math.RoundingMode.UNNECESSARY);
        this.rounding = rounding;
        BigDecimal tokens = BigDecimal.valueOf(question.getInputTokens()).multiply(rate.getInput())
                .add(BigDecimal.valueOf(question.getCachedInputTokens()).multiply(rate.getCachedInput()))
                .add(BigDecimal.valueOf(question.getOutputTokens()).multiply(rate.getOutput()));
        // dividing by 1000 only moves the decimal point: exact
        this.unrounded = tokens.multiply(multiplier.getMultiplier()).movePointLeft(3);
        this.rounded = unrounded.setScale(SCALE, rounding.mode());
        this.credits = rounded.compareTo(this.minimum) < 0 ? this.minimum : rounded;
        this.rules = List.of(rate.getRule(), multiplier.getRule(), rule);
    }

    /**
     * The price of {@code question} at {@code rate} and {@code multiplier}, rounded as {@code rounding} says and at
     * least {@code minimum} credits; {@code rule} is the rule that states it.
     */
    public static Price of(PriceQuestion question, ModelRate rate, FeatureMultiplier multiplier, String minimum,
                           PriceRounding rounding, String rule) {
        BigDecimal min = minimum.length() <= 32 ? new BigDecimal(minimum) : null;
        if (min == null || min.signum() < 0 || min.compareTo(MAX_MINIMUM) > 0) {
            // a bound, not policy: 1e999999999 would be rounded to 4 decimals on every priced call
            throw new IllegalArgumentException("a minimum price is a number from 0 to " + MAX_MINIMUM);
        }
        return new Price(question, rate, multiplier, min, rounding, rule);
    }

    public PriceQuestion getQuestion() { return question; }
    public ModelRate getRate() { return rate; }
    public FeatureMultiplier getMultiplier() { return multiplier; }
    public BigDecimal getMinimum() { return minimum; }
    public PriceRounding getRounding() { return rounding; }
    public BigDecimal getUnrounded() { return unrounded; }
    public BigDecimal getRounded() { return rounded; }
    public BigDecimal getCredits() { return credits; }
    public boolean isMinimumApplied() { return rounded.compareTo(minimum) < 0; }
    /** The rules that priced the call: the table's rate row, its multiplier row, and pricing.drl's rule. */
    public List<String> getRules() { return rules; }
}
