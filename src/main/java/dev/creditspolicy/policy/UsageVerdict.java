package dev.creditspolicy.policy;

import java.util.List;

import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.Reason;

/**
 * What the rules concluded about one call: its exemption (null when charged), whether the account's credits are
 * withheld from the product, and the eligible lots in the order they are consumed.
 */
public record UsageVerdict(Reason exemption, boolean notSharedWithProduct, List<Lot> eligibleInOrder,
                           String rulesVersion, List<String> firedRules) {
}
