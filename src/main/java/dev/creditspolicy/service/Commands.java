package dev.creditspolicy.service;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.creditspolicy.paging.PageRequest;
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
 * RequestHash}), never their toString(). A kind added later declares its command beside its service method (the
 * README's recipe); RequestHash reads any record alike.
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

    /**
     * A usage report; for evaluate, requestId may be left out. It sends either {@code credits} or the tokens the call
     * consumed ({@code inputTokens}, {@code cachedInputTokens}, {@code outputTokens}; then credits is null and the
     * rules price it, see {@link Tokens}); token fields are null for a report in credits, so its request hash is
     * the one it had before tokens existed.
     */
    public record Usage(String requestId, String accountId, Realm realm, Product product, Feature feature,
                        String model, Outcome outcome, BigDecimal credits, Instant occurredAt, Long inputTokens,
                        Long cachedInputTokens, Long outputTokens) {
        public Usage(String requestId, String accountId, Realm realm, Product product, Feature feature,
                     String model, Outcome outcome, BigDecimal credits, Instant occurredAt) {
            this(requestId, accountId, realm, product, feature, model, outcome, credits, occurredAt, null, null, null);
        }

        public Tokens tokens() {
            return Tokens.of(inputTokens, cachedInputTokens, outputTokens);
        }
    }

    /**
     * A hold: reserve {@code credits} (or the price of an estimate of tokens) for a call about to run; {@code
     * ttlSeconds} null means the default (900).
     */
    /** What HoldService does to a hold: make it, commit it or release it (the requests it batches). */
    public sealed interface HoldCommand permits Hold, Commit, Release {
        String holdId();
    }

    public record Hold(String holdId, String accountId, Realm realm, Product product, Feature feature, String model,
                       BigDecimal credits, Instant occurredAt, Integer ttlSeconds, Long inputTokens,
                       Long cachedInputTokens, Long outputTokens) implements HoldCommand {
        public Hold(String holdId, String accountId, Realm realm, Product product, Feature feature, String model,
                    BigDecimal credits, Instant occurredAt, Integer ttlSeconds) {
            this(holdId, accountId, realm, product, feature, model, credits, occurredAt, ttlSeconds, null, null,
                    null);
        }

        public Tokens tokens() {
            return Tokens.of(inputTokens, cachedInputTokens, outputTokens);
        }
    }

    /** Settles a hold with what the call actually cost (SUCCEEDED; credits or tokens) or that it failed. */
    public record Commit(String holdId, Outcome outcome, BigDecimal credits, Instant occurredAt, Long inputTokens,
                         Long cachedInputTokens, Long outputTokens) implements HoldCommand {
        public Commit(String holdId, Outcome outcome, BigDecimal credits, Instant occurredAt) {
            this(holdId, outcome, credits, occurredAt, null, null, null);
        }

        public Tokens tokens() {
            return Tokens.of(inputTokens, cachedInputTokens, outputTokens);
        }
    }

    /**
     * The tokens a call consumed, when it sends them instead of credits: input (not from the cache), cached input
     * (read from the prompt cache, priced at its own rate) and output. Null when the request sent credits.
     */
    public record Tokens(long input, long cachedInput, long output) {
        static Tokens of(Long input, Long cachedInput, Long output) {
            return input == null ? null : new Tokens(input, cachedInput == null ? 0 : cachedInput, output);
        }
    }

    /** Cancels a hold: the call never ran. */
    public record Release(String holdId, Instant occurredAt) implements HoldCommand {
    }

    /** Reads a hold. */
    public record HoldLookup(String holdId) {
    }

    /** The credits available at an instant (null: now), optionally only those a product may draw on. */
    public record Balance(String accountId, Instant at, Product product) {
    }

    /** A page of the account's lots; {@code active} judged at {@code at} (null: now). */
    public record Lots(String accountId, Instant at, @JsonIgnore PageRequest page) {
    }

    /** A page of the account's acquisitions. */
    public record CreditsLog(String accountId, @JsonIgnore PageRequest page) {
    }

    /** Voids a lot at an instant (a refunded or mistaken grant): from {@code at} on nothing can draw on it. */
    public record VoidLot(String accountId, String lotId, Instant at, String reason) {
    }

    /** Reverses a charge: every allocation of the decision goes back to its lot. */
    public record Reversal(String requestId, Instant at, String reason) {
    }
}
