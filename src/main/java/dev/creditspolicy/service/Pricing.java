package dev.creditspolicy.service;

import java.time.Instant;
import java.util.Map;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.UsageVerdict;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.PriceQuestion;
import dev.creditspolicy.service.Commands.Tokens;
import dev.creditspolicy.store.Rows.PriceRow;

/**
 * The service's side of pricing (issue 18): the price question a call that sent its tokens asks the rules, the
 * refusal of a model the rules do not price, and the price stored beside a decision. What a call costs is the rules'
 * (pricing.drl, tables/prices.csv); nothing here computes a price.
 */
final class Pricing {
    private Pricing() {
    }

    /** The question for a call of {@code model} and {@code feature} at {@code at}; null for a call in credits. */
    static PriceQuestion question(String model, Feature feature, Instant at, Tokens tokens) {
        return tokens == null ? null
                : new PriceQuestion(model, feature, at, tokens.input(), tokens.cachedInput(), tokens.output());
    }

    /** Refuses the request when the rules priced no such model at the call's instant, naming those they price. */
    static void refuseUnpriced(UsageVerdict verdict, String model, Instant at) {
        if (verdict.unpriced()) {
            throw new Problem(Problem.UNKNOWN_MODEL, "Unknown model", "no price for model '"
                    + model + "' at " + at + "; priced then: "
                    + (verdict.pricedModels().isEmpty() ? "none" : String.join(", ", verdict.pricedModels())),
                    "model", Map.of("allowed", verdict.pricedModels()));
        }
    }

    /** The row stored beside a priced decision; null for one in credits. */
    static PriceRow row(Tokens tokens, UsageDecision decision) {
        return tokens == null || decision.price() == null ? null : new PriceRow(tokens.input(), tokens.cachedInput(),
                tokens.output(), decision.price());
    }
}
