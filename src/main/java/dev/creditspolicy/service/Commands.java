package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Instant;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;

/**
 * The requests the service takes, as typed commands. They are read from bodies and scenario steps by their
 * request kinds (dev.creditspolicy.requests); what idempotency compares is their canonical form ({@link
 * RequestHash}), never their toString().
 */
public final class Commands {
    private Commands() {
    }

    public record CreateAccount(String accountId, Realm realm, Plan plan, Instant at) {
    }

    public record StartCycle(String accountId, Plan plan, Instant start, Instant end, BigDecimal credits, String lotId) {
    }

    public record GrantAddon(String accountId, String lotId, LotSource source, BigDecimal amount, Instant effectiveAt,
                             Instant expiresAt, String reason, Product originProduct) {
    }

    public record ChangePlan(String accountId, Plan toPlan, Instant at, PlanChangeKind kind) {
    }

    /** A usage report; for evaluate, requestId may be left out. */
    public record Usage(String requestId, String accountId, Realm realm, Product product, Feature feature,
                        String model, Outcome outcome, BigDecimal credits, Instant occurredAt) {
    }

    /** A hold: reserve {@code credits} for a call about to run; {@code ttlSeconds} null means the default (900). */
    public record Hold(String holdId, String accountId, Realm realm, Product product, Feature feature, String model,
                       BigDecimal credits, Instant occurredAt, Integer ttlSeconds) {
    }

    /** Settles a hold with what the call actually cost (SUCCEEDED) or that it failed. */
    public record Commit(String holdId, Outcome outcome, BigDecimal credits, Instant occurredAt) {
    }

    /** Cancels a hold: the call never ran. */
    public record Release(String holdId, Instant occurredAt) {
    }

    /** Reads a hold. */
    public record HoldLookup(String holdId) {
    }

    /** The credits available at an instant (null: now), optionally only those a product may draw on. */
    public record Balance(String accountId, Instant at, Product product) {
    }

    /** The account's lots; {@code active} judged at {@code at} (null: now). */
    public record Lots(String accountId, Instant at) {
    }

    /** The account's acquisitions. */
    public record CreditsLog(String accountId) {
    }

    /** Voids a lot at an instant (a refunded or mistaken grant): from {@code at} on nothing can draw on it. */
    public record VoidLot(String accountId, String lotId, Instant at, String reason) {
    }

    /** Reverses a charge: every allocation of the decision goes back to its lot. */
    public record Reversal(String requestId, Instant at, String reason) {
    }
}
