package dev.creditspolicy.policy.facts;

import java.util.List;

/** Conclusion of priority.drl: the criteria, most significant first, that order the eligible lots. */
public final class DeductionOrder implements Conclusions {
    private final List<OrderKey> keys;

    public DeductionOrder(OrderKey... keys) {
        this.keys = List.of(keys);
    }

    public List<OrderKey> getKeys() { return keys; }
}
