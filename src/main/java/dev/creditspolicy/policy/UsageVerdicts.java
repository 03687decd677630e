package dev.creditspolicy.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.creditspolicy.policy.facts.DeductionOrder;
import dev.creditspolicy.policy.facts.EligibleLot;
import dev.creditspolicy.policy.facts.Exemption;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotExcluded;
import dev.creditspolicy.policy.facts.NotSharedWithProduct;
import dev.creditspolicy.policy.facts.OrderKey;
import dev.creditspolicy.policy.facts.Price;
import dev.creditspolicy.policy.facts.PriceQuestion;
import dev.creditspolicy.policy.facts.PriceTable;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Unpriced;

/**
 * What the rules conclude about one call, read from a {@link RuleSet.Firing}: its exemption, the lots it may draw
 * on in priority.drl's order, its price, and for an explained call every lot and the rule that decided it. A rule
 * set that concludes two exemptions, no deduction order or two prices is a broken rule set, not a refusal.
 */
final class UsageVerdicts {
    private UsageVerdicts() {
    }

    /** Whether the call is exempt and why (exemption.drl), whether its product shares no lot, its lots in order. */
    static UsageVerdict verdict(RuleSet.Firing firing, String version) {
        Set<Reason> reasons = new TreeSet<>();
        firing.all(Exemption.class).forEach(e -> reasons.add(e.getReason()));
        if (reasons.size() > 1) {
            // which reason wins is the rules' to say (exemption.drl), not the order of an enum's constants
            throw new IllegalStateException("exemption.drl concluded " + reasons + " for one call: its rules must "
                    + "be mutually exclusive or say which reason wins");
        }
        Reason exemption = reasons.isEmpty() ? null : reasons.iterator().next();
        boolean notShared = !firing.all(NotSharedWithProduct.class).isEmpty();
        return new UsageVerdict(exemption, notShared, eligibleInOrder(firing), version, firing.firedRules());
    }

    /** The eligible lots (one conclusion per lot: truth maintenance merges equal ones) in priority.drl's order. */
    static List<Lot> eligibleInOrder(RuleSet.Firing firing) {
        Comparator<Lot> order = order(firing);
        List<Lot> eligible = new ArrayList<>();
        firing.all(EligibleLot.class).forEach(e -> eligible.add(e.getLot()));
        eligible.sort(order);
        return List.copyOf(eligible);
    }

    /** The one deduction order priority.drl concluded, ending with the lot id so that it is total. */
    static Comparator<Lot> order(RuleSet.Firing firing) {
        List<DeductionOrder> orders = firing.all(DeductionOrder.class);
        if (orders.size() != 1 || orders.get(0).getKeys().isEmpty()
                || orders.get(0).getKeys().get(orders.get(0).getKeys().size() - 1) != OrderKey.LOT_ID) {
            throw new IllegalStateException("priority.drl must conclude exactly one DeductionOrder ending with "
                    + "OrderKey.LOT_ID; got " + orders.size());
        }
        return DeductionOrders.comparator(orders.get(0).getKeys());
    }

    /**
     * The price joins the verdict, and the table's rows that priced the call join its fired rules: they decided
     * the price as much as pricing.drl's rule did, though as data rather than as rules of their own.
     */
    static UsageVerdict priced(RuleSet.Firing firing, PriceQuestion price, String version, PriceTable prices) {
        UsageVerdict v = verdict(firing, version);
        Price p = onePrice(firing, price);
        List<String> fired = v.firedRules();
        if (p != null) {
            Set<String> all = new TreeSet<>(fired);
            all.addAll(p.getRules());
            fired = List.copyOf(all);
        }
        return new UsageVerdict(v.exemption(), v.notSharedWithProduct(), v.eligibleInOrder(), v.rulesVersion(),
                fired, p, p == null ? prices.modelsAt(price.getAt()) : null);
    }

    /** The one price concluded, or null when the model is unpriced; anything else is a mistake of the rules. */
    static Price onePrice(RuleSet.Firing firing, PriceQuestion question) {
        List<Price> found = firing.all(Price.class);
        boolean unpriced = !firing.all(Unpriced.class).isEmpty();
        if (found.size() + (unpriced ? 1 : 0) != 1) {
            throw new IllegalStateException("pricing.drl must conclude exactly one Price or one Unpriced model for "
                    + question.getModel() + " (" + question.getFeature() + ") at " + question.getAt() + "; got "
                    + found.size() + " prices" + (unpriced ? " and the model unpriced" : ""));
        }
        return unpriced ? null : found.get(0);
    }

    /** Every lot of the account as the rules saw it: the eligible ones in order, then the others, with their rules. */
    static UsageExplanation explained(RuleSet.Firing firing, UsageVerdict verdict, Collection<Lot> allLots) {
        List<UsageExplanation.LotVerdict> lots = new ArrayList<>();
        Set<String> eligible = new HashSet<>();
        Map<String, String> eligibleBy = new HashMap<>();
        firing.all(EligibleLot.class).forEach(e -> eligibleBy.put(e.getLotId(), e.getRule()));
        for (Lot lot : verdict.eligibleInOrder()) {
            eligible.add(lot.getLotId());
            lots.add(new UsageExplanation.LotVerdict(lot, true, null, eligibleBy.get(lot.getLotId())));
        }
        Map<String, List<LotExcluded>> excluded = new HashMap<>();
        firing.all(LotExcluded.class).forEach(x -> excluded.computeIfAbsent(x.getLotId(), k -> new ArrayList<>()).add(x));
        allLots.stream().filter(l -> !eligible.contains(l.getLotId())).sorted(Comparator.comparing(Lot::getLotId))
                .forEach(lot -> {
                    List<LotExcluded> why = excluded.getOrDefault(lot.getLotId(), List.of()).stream()
                            .sorted(Comparator.comparing(LotExcluded::getRule)).toList();
                    if (why.isEmpty()) {
                        lots.add(new UsageExplanation.LotVerdict(lot, false, UsageExplanation.UNEXPLAINED, null));
                    }
                    why.forEach(x -> lots.add(new UsageExplanation.LotVerdict(lot, false, x.getWhy(), x.getRule())));
                });
        return new UsageExplanation(verdict, lots);
    }
}
