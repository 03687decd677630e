package dev.creditspolicy.policy.facts;

/** Conclusion of exemption.drl: the call is not charged, for this reason. */
public final class Exemption implements Conclusions {
    private final Reason reason;

    public Exemption(Reason reason) {
        this.reason = reason;
    }

    public Reason getReason() { return reason; }
}
