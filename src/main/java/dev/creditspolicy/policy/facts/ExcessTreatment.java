package dev.creditspolicy.policy.facts;

/** Conclusion of holds.drl: what a commit does with its cost beyond the hold. */
public final class ExcessTreatment implements Conclusions {
    private final ExcessPolicy policy;

    public ExcessTreatment(ExcessPolicy policy) {
        this.policy = policy;
    }

    public ExcessPolicy getPolicy() { return policy; }
}
