package dev.creditspolicy.policy.facts;

/** Conclusion of sharing.drl: this lot may pay for the call; {@code rule} says why. */
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
}
