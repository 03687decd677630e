package dev.creditspolicy.policy.facts;

/** Conclusion of corrections.drl about a {@link LotVoid}: what happens to the open holds on the lot. */
public final class VoidTreatment implements Conclusions {
    private final HoldsOnVoid holds;

    public VoidTreatment(HoldsOnVoid holds) {
        this.holds = holds;
    }

    public HoldsOnVoid getHolds() { return holds; }
}
