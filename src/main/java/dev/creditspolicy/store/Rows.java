package dev.creditspolicy.store;

import java.math.BigDecimal;
import java.time.Instant;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.HoldsOnVoid;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;

/** Row records, one per table, exactly as stored. Domain objects are built from them in the service. */
public final class Rows {
    private Rows() {
    }

    public record AccountRow(String accountId, Realm realm, Instant createdAt, String requestHash) {
    }

    public record PlanPeriodRow(String accountId, int seq, Plan plan, Instant effectiveAt) {
    }

    public record LotRow(String lotId, String accountId, Realm realm, LotSource source, Plan plan,
                         Product originProduct, String reason, BigDecimal amount, BigDecimal remaining,
                         Instant effectiveAt, Instant expiresAt, Instant initialExpiresAt, String requestHash) {
        /** Can pay at {@code t}: started by then, not yet expired, not empty. */
        public boolean payableAt(Instant t) {
            return !effectiveAt.isAfter(t) && expiresAt.isAfter(t) && remaining.signum() > 0;
        }

        public Lot toFact() {
            return new Lot(lotId, accountId, realm, source, plan, originProduct, effectiveAt, expiresAt, remaining);
        }
    }

    public record CreditsLogRow(Long entryId, String accountId, String lotId, String creditType, String reason,
                                BigDecimal amount, Instant effectiveAt, Instant initialExpiresAt, Instant recordedAt) {
    }

    public record DecisionRow(String requestId, String accountId, Realm realm, Product product, Feature feature,
                              String model, Outcome outcome, BigDecimal credits, Instant occurredAt, Plan plan,
                              Status status, Reason reason, BigDecimal charged, BigDecimal shortfall,
                              BigDecimal balanceAfter, String rulesVersion, String firedRules, String requestHash,
                              Instant recordedAt) {
    }

    /** A row of an allocations table: what one lot gave (or had reserved) for the record that owns the row. */
    public interface LotAllocation {
        String owner();

        int seq();

        String lotId();

        LotType lotType();

        BigDecimal amount();
    }

    public record AllocationRow(String requestId, int seq, String lotId, LotType lotType, BigDecimal amount)
            implements LotAllocation {
        @Override
        public String owner() {
            return requestId;
        }
    }

    public record PlanChangeRow(Long changeId, String accountId, Plan fromPlan, Plan toPlan, PlanChangeKind kind,
                                Instant changedAt, String rulesVersion, String firedRules, String requestHash,
                                Instant recordedAt) {
    }

    public record ExpiryChangeRow(long changeId, String lotId, Instant oldExpiresAt, Instant newExpiresAt,
                                  String cause, String ruleName) {
    }

    /** What kind of request an account event is; {@code ref} names its lot, plan change or request. */
    /** A hold marked EXPIRED: what it held went back. */
    public record ExpiredHold(String holdId, BigDecimal held, Instant expiresAt) {
    }

    public enum EventKind { ACCOUNT, CYCLE, GRANT, PLAN_CHANGE, USAGE, HOLD, HOLD_COMMIT, HOLD_RELEASE, VOID, REVERSAL }

    /**
     * A void of a lot: the lot's expiry before it and after it ({@code newExpiresAt} null when it changed nothing),
     * its remaining when recorded ({@code voided}), and corrections.drl's decision about the open holds on it.
     */
    public record VoidRow(Long voidId, String accountId, String lotId, Instant voidedAt, String reason,
                          BigDecimal remaining, BigDecimal voided, Instant oldExpiresAt, Instant newExpiresAt, HoldsOnVoid holdsOnVoid,
                          BigDecimal heldReleased, String ruleName, String rulesVersion, String firedRules,
                          String requestHash, Instant recordedAt) {
        public boolean changed() {
            return newExpiresAt != null;
        }
    }

    /** A reversal of a decision: what went back ({@code reversed}) and what corrections.drl kept from going back. */
    public record ReversalRow(String requestId, String accountId, Instant reversedAt, String reason,
                              BigDecimal reversed, BigDecimal forfeited, String rulesVersion, String firedRules,
                              String requestHash, Instant recordedAt) {
    }

    /**
     * A hold: what was asked, the answer it got ({@code status}, never rewritten) and where it stands ({@code
     * state}: OPEN, INSUFFICIENT, COMMITTED, RELEASED or EXPIRED), with the settlement's instant and request hash.
     */
    public record HoldRow(String holdId, String accountId, Realm realm, Product product, Feature feature,
                          String model, BigDecimal credits, Instant occurredAt, int ttlSeconds, Instant expiresAt,
                          Plan plan, String status, Reason reason, BigDecimal held, BigDecimal shortfall,
                          BigDecimal balanceAfter, String rulesVersion, String firedRules, String requestHash,
                          Instant recordedAt, String state, Instant settledAt, BigDecimal released,
                          String settleHash) {
    }

    public record HoldAllocationRow(String holdId, int seq, String lotId, LotType lotType, BigDecimal amount)
            implements LotAllocation {
        @Override
        public String owner() {
            return holdId;
        }
    }

    /** A priced request's token counts and the breakdown of its price (usage_prices, hold_prices). */
    public record PriceRow(long inputTokens, long cachedInputTokens, long outputTokens,
                           dev.creditspolicy.ledger.PriceBreakdown breakdown) {
    }

    public record EventRow(Long eventId, String accountId, EventKind kind, String ref, Instant recordedAt) {
    }

    /** One rules load: what triggered it, whether it swapped, the version serving after it, the files it read. */
    public record RulesReloadRow(Long reloadId, Instant loadedAt, String triggerKind, String outcome, String serving,
                                 String candidate, String files, String error) {
    }
}
