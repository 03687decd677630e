package dev.creditspolicy.policy;

import java.util.List;

import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.Price;
import dev.creditspolicy.policy.facts.Reason;

/**
 * What the rules concluded about one call: its exemption (null when charged), whether the account's credits are
 * withheld from the product, and the eligible lots in the order they are consumed. For a call that sent its tokens,
 * {@code price} is what pricing.drl and the price table made of them; when they price no such model, {@code price} is
 * null and {@code pricedModels} lists the models priced at the call's instant (otherwise it is null).
 */
public record UsageVerdict(Reason exemption, boolean notSharedWithProduct, List<Lot> eligibleInOrder,
                           String rulesVersion, List<String> firedRules, Price price, List<String> pricedModels) {
    public UsageVerdict(Reason exemption, boolean notSharedWithProduct, List<Lot> eligibleInOrder,
                        String rulesVersion, List<String> firedRules) {
        this(exemption, notSharedWithProduct, eligibleInOrder, rulesVersion, firedRules, null, null);
    }

    /** The call asked a price and the rules have none for its model (the request is refused). */
    public boolean unpriced() {
        return pricedModels != null;
    }
}
