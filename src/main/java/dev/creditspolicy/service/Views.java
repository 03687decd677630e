package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.creditspolicy.events.Runway;
import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.PriceBreakdown;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.LotExplanation;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.store.Rows.CreditsLogRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.VoidRow;

/** What the service answers; the HTTP API serialises these as they are, and scenarios compare against them. */
public final class Views {
    private Views() {
    }

    /** An answer, and whether it is a stored earlier answer given again to an idempotent retry. */
    public record Answer<T>(T body, boolean replayed) {
    }

    /**
     * A usage decision as answered, with, when asked for ({@code ?explain=true}), every lot of the account and why
     * it was or was not drawn, each with the rule that decided it. Without the explanation it is the decision's
     * JSON exactly. {@code realm} is the account's, carried for the callers' metrics (never answered; null where a
     * decision is rebuilt from history).
     */
    public record ExplainedDecision(@JsonUnwrapped UsageDecision decision,
                                    @JsonInclude(JsonInclude.Include.NON_NULL) List<LotExplanation> explanation,
                                    @JsonIgnore Realm realm) {
        public ExplainedDecision(UsageDecision decision, List<LotExplanation> explanation) {
            this(decision, explanation, null);
        }
    }

    public record PlanPeriod(Plan plan, Instant from) {
    }

    /** A request applied to an account: its kind and what it refers to (lot id, plan change id or request id). */
    public record AccountEvent(EventKind kind, String ref) {
    }

    public record AccountView(String accountId, Realm realm, Instant createdAt, Plan currentPlan,
                              List<PlanPeriod> planHistory) {
    }

    public record LotView(String lotId, String accountId, LotType type, LotSource source, Plan plan,
                          Product originProduct, String reason, BigDecimal amount, BigDecimal remaining,
                          Instant effectiveAt, Instant expiresAt, Instant initialExpiresAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Boolean active,
                          @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal voided,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Instant voidedAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String voidReason) {
        static LotView of(LotRow r, Instant at) {
            return of(r, at, null);
        }

        /** With the void that set the lot's expiry, if one did: what it voided, when and why. */
        static LotView of(LotRow r, Instant at, VoidRow v) {
            return new LotView(r.lotId(), r.accountId(), r.source().type(), r.source(), r.plan(), r.originProduct(),
                    r.reason(), r.amount(), r.remaining(), r.effectiveAt(), r.expiresAt(), r.initialExpiresAt(),
                    at == null ? null : r.toFact().isActiveAt(at), v == null ? null : v.voided(),
                    v == null ? null : v.voidedAt(), v == null ? null : v.reason());
        }
    }

    /**
     * A void's answer: the lot as the void left it, {@code voided} (its remaining when the void was recorded; 0
     * when the void changed nothing), {@code changed}, the void's instant and reason, and what it released of the
     * open holds on the lot (corrections.drl decides whether it releases them).
     */
    public record VoidView(@JsonUnwrapped LotView lot, BigDecimal voided, boolean changed, Instant voidedAt,
                           String voidReason, BigDecimal heldReleased, String rulesVersion,
                           List<String> firedRules) {
    }

    /** A reversal's answer: what went back to which lot; {@code forfeited} what corrections.drl kept back. */
    public record ReversalView(String requestId, String status, BigDecimal reversed, List<Allocation> allocations,
                               Instant at, String reason, BigDecimal forfeited, String rulesVersion,
                               List<String> firedRules) {
    }

    /** A stored decision as read back, with its reversal beside it (the decision itself is never rewritten). */
    public record UsageRecord(@JsonUnwrapped UsageDecision decision,
                              @JsonInclude(JsonInclude.Include.NON_NULL) ReversalView reversal) {
    }

    /**
     * One line of the per-call ledger ({@code usage-decisions}): the call that was decided (when, which product,
     * feature and model; what a customer reconciles a charge by) and the decision as {@code GET /v1/usage/{id}}
     * answers it.
     */
    public record DecisionEntry(Instant occurredAt, Product product, Feature feature, String model,
                                @JsonUnwrapped UsageRecord record) {
    }

    /** A void in the listing of an account's expiry changes, beside its plan changes ({@code kind}: VOID). */
    public record VoidChangeView(String accountId, String kind, Instant at, String voidReason,
                                 List<ExpiryChangeView> expiryChanges, String rulesVersion,
                                 List<String> firedRules) {
    }

    public record CreditsLogEntry(String lotId, String type, String reason, BigDecimal amount, Instant effectiveAt,
                                  Instant initialExpiresAt, Instant recordedAt) {
        static CreditsLogEntry of(CreditsLogRow r) {
            return new CreditsLogEntry(r.lotId(), r.creditType(), r.reason(), r.amount(), r.effectiveAt(),
                    r.initialExpiresAt(), r.recordedAt());
        }
    }

    public record ExpiryChangeView(String lotId, Instant oldExpiresAt, Instant newExpiresAt, String cause,
                                   String rule) {
    }

    public record PlanChangeView(String accountId, Plan fromPlan, Plan toPlan, PlanChangeKind kind, Instant at,
                                 List<ExpiryChangeView> expiryChanges, String rulesVersion, List<String> firedRules) {
    }

    /**
     * The Credits card: {@code total} and {@code byType} are what is available (remaining minus what open holds
     * reserve), {@code held} what open holds reserve.
     */
    /** {@code runway}: the forecast at the account's burn rate (SPEC section 11); null when nothing was charged. */
    public record BalanceView(String accountId, Instant at, Product product, BigDecimal total, BigDecimal held,
                              Map<LotType, BigDecimal> byType, Runway runway) {
    }

    /**
     * A hold as answered: {@code status} HELD or INSUFFICIENT (RELEASED in a release's answer). Reading it ({@code
     * GET /v1/holds/{id}}) adds where it stands ({@code state}: OPEN, INSUFFICIENT, COMMITTED, RELEASED, EXPIRED),
     * and once settled, when, what went back ({@code released}) and the commit's decision ({@code outcome}).
     */
    public record HoldView(String holdId, String accountId, String status, Reason reason, BigDecimal held,
                           BigDecimal shortfall, List<Allocation> allocations, Instant expiresAt,
                           BigDecimal balanceAfter, String rulesVersion, List<String> firedRules,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String state,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Instant settledAt,
                           @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal released,
                           @JsonInclude(JsonInclude.Include.NON_NULL) UsageDecision outcome,
                           @JsonInclude(JsonInclude.Include.NON_NULL) PriceBreakdown price) {
        public HoldView(String holdId, String accountId, String status, Reason reason, BigDecimal held,
                        BigDecimal shortfall, List<Allocation> allocations, Instant expiresAt, BigDecimal balanceAfter,
                        String rulesVersion, List<String> firedRules, String state, Instant settledAt,
                        BigDecimal released, UsageDecision outcome) {
            this(holdId, accountId, status, reason, held, shortfall, allocations, expiresAt, balanceAfter,
                    rulesVersion, firedRules, state, settledAt, released, outcome, null);
        }

        public HoldView settled(String status, String state, Instant settledAt, BigDecimal released,
                                UsageDecision outcome) {
            return new HoldView(holdId, accountId, status, reason, held, shortfall, allocations, expiresAt,
                    balanceAfter, rulesVersion, firedRules, state, settledAt, released, outcome, price);
        }
    }

    /** A commit's answer: the usage decision (requestId: the hold id) and what went back to the lots. */
    public record CommitView(@JsonUnwrapped UsageDecision decision, BigDecimal released) {
    }

    /**
     * One group of the usage report. A reversed charge counts as {@code reversed}, not {@code charged}, and its
     * credits as {@code creditsReversed}, not {@code creditsCharged}.
     */
    public record UsageGroup(String key, long calls, long charged, long exempt, long insufficient,
                             BigDecimal creditsCharged, long reversed, BigDecimal creditsReversed) {
    }

    /**
     * Usage details. Committed holds are usage decisions (under the hold's id) and count in {@code groups} like any
     * call; {@code openHolds} is what the account's holds open now reserve (not yet usage).
     */
    public record UsageSummary(String accountId, Instant from, Instant to, String groupBy, List<UsageGroup> groups,
                               OpenHolds openHolds) {
    }

    /** Holds open at {@code at}: how many, and what they reserve. */
    public record OpenHolds(Instant at, long count, BigDecimal held) {
    }
}
