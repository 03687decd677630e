package dev.creditspolicy.policy.facts;

/** Conclusion of corrections.drl about a {@link ReturnedAllocation}: whether it goes back to its lot. */
public final class ReturnTreatment implements Conclusions {
    private final String lotId;
    private final ReturnPolicy policy;

    public ReturnTreatment(String lotId, ReturnPolicy policy) {
        this.lotId = lotId;
        this.policy = policy;
    }

    public String getLotId() { return lotId; }
    public ReturnPolicy getPolicy() { return policy; }
}
