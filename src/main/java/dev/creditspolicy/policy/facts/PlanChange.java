package dev.creditspolicy.policy.facts;

import java.time.Instant;

/** A plan change at an instant; expiry.drl decides which lots it shortens. */
public final class PlanChange {
    private final String accountId;
    private final Plan fromPlan;
    private final Plan toPlan;
    private final PlanChangeKind kind;
    private final Instant at;

    public PlanChange(String accountId, Plan fromPlan, Plan toPlan, PlanChangeKind kind, Instant at) {
        this.accountId = accountId;
        this.fromPlan = fromPlan;
        this.toPlan = toPlan;
        this.kind = kind;
        this.at = at;
    }

    public String getAccountId() { return accountId; }
    public Plan getFromPlan() { return fromPlan; }
    public Plan getToPlan() { return toPlan; }
    public PlanChangeKind getKind() { return kind; }
    public Instant getAt() { return at; }

    /** The change instant plus a grace period, for a rule that shortens to "upgrade + N hours". */
    public Instant atPlusHours(long hours) {
        return at.plusSeconds(hours * 3600);
    }
}
