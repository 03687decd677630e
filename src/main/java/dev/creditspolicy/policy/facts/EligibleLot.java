package dev.creditspolicy.policy.facts;

/**
 * Conclusion of sharing.drl: this lot may pay for the draw; {@code rule} says why. Inserted logically and equal by
 * lot, so two rules that both let a lot serve leave one EligibleLot (justified twice), and it goes when they do.
 */
public final class EligibleLot implements Conclusions {
    private final Lot lot;
    private final String rule;

    public EligibleLot(Lot lot, String rule) {
        this.lot = lot;
        this.rule = rule;
    }

    public Lot getLot() { return lot; }
    public String getLotId() { return lot.getLotId(); }
    public String getRule() { return rule; }

    @Override
    public boolean equals(Object o) {
        return o instanceof EligibleLot other && other.lot.getLotId().equals(lot.getLotId());
    }

    @Override
    public int hashCode() {
        return lot.getLotId().hashCode();
    }
}
