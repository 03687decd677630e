package dev.creditspolicy.ledger;

import java.math.BigDecimal;
import java.util.List;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Price;

/**
 * How a call that sent its tokens was priced, as answered and stored with its decision: the tokens of each kind,
 * the model's rates per 1,000 tokens of each kind, the feature's multiplier, the exact product ({@code unrounded},
 * a plain decimal string), the rounding the rule states and its result, the minimum per call and whether it applied,
 * the credits charged for it, and the pricing rules that fired (the table's rate row, its multiplier row, and
 * pricing.drl's rule).
 */
public record PriceBreakdown(String model, Feature feature, long inputTokens, long cachedInputTokens,
                             long outputTokens, BigDecimal inputRate, BigDecimal cachedInputRate,
                             BigDecimal outputRate, BigDecimal multiplier, String unrounded, String rounding,
                             BigDecimal rounded, BigDecimal minimum, boolean minimumApplied, BigDecimal credits,
                             List<String> rules) {

    public static PriceBreakdown of(Price p) {
        return new PriceBreakdown(p.getQuestion().getModel(), p.getQuestion().getFeature(),
                p.getQuestion().getInputTokens(), p.getQuestion().getCachedInputTokens(),
                p.getQuestion().getOutputTokens(), p.getRate().getInput(), p.getRate().getCachedInput(),
                p.getRate().getOutput(), p.getMultiplier().getMultiplier(), p.getUnrounded().toPlainString(),
                p.getRounding().name(), Money.of(p.getRounded()), Money.of(p.getMinimum()), p.isMinimumApplied(),
                Money.of(p.getCredits()), p.getRules());
    }
}
