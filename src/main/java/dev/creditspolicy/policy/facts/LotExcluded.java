package dev.creditspolicy.policy.facts;

import java.util.Objects;

/**
 * Conclusion of an explain-mode rule of sharing.drl: this lot is not drawn on, {@code why} in the policy's words
 * ("expired", "not shared with JETBRAINS for ENTERPRISE_TEAMS"), by the named rule. Equal when lot and why are,
 * so truth maintenance keeps one of each.
 */
public final class LotExcluded implements Explanation {
    private final Lot lot;
    private final String why;
    private final String rule;

    public LotExcluded(Lot lot, String why, String rule) {
        this.lot = lot;
        this.why = why;
        this.rule = rule;
    }

    public Lot getLot() { return lot; }
    public String getLotId() { return lot.getLotId(); }
    public String getWhy() { return why; }
    public String getRule() { return rule; }

    @Override
    public boolean equals(Object o) {
        return o instanceof LotExcluded other && other.lot.getLotId().equals(lot.getLotId()) && other.why.equals(why);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lot.getLotId(), why);
    }
}
