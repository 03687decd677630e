package dev.creditspolicy.policy;

import java.util.Comparator;
import java.util.List;

import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.OrderKey;

/** Turns the criteria priority.drl chose into a comparator; it adds no criterion of its own. */
final class DeductionOrders {
    private DeductionOrders() {
    }

    static Comparator<Lot> comparator(List<OrderKey> keys) {
        Comparator<Lot> order = null;
        for (OrderKey key : keys) {
            Comparator<Lot> next = switch (key) {
                case SOONEST_EXPIRY -> Comparator.comparing(Lot::getExpiresAt);
                case LATEST_EXPIRY -> Comparator.comparing(Lot::getExpiresAt).reversed();
                case PLAN_BEFORE_ADDON -> Comparator.comparing(l -> l.getType() == LotType.PLAN ? 0 : 1);
                case ADDON_BEFORE_PLAN -> Comparator.comparing(l -> l.getType() == LotType.ADDON ? 0 : 1);
                case EARLIEST_EFFECTIVE_AT -> Comparator.comparing(Lot::getEffectiveAt);
                case LOT_ID -> Comparator.comparing(Lot::getLotId);
            };
            order = order == null ? next : order.thenComparing(next);
        }
        return order;
    }
}
