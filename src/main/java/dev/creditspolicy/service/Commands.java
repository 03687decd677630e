package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;

/**
 * The requests the service takes, parsed and checked from a JSON (or scenario) body. Each record's
 * {@code toString()} is its canonical form: two bodies that mean the same thing (10 and 10.0000, +08:00 and Z)
 * have the same canonical form, which is what idempotency compares.
 */
public final class Commands {
    private static final BigDecimal ZERO = BigDecimal.ZERO;

    private Commands() {
    }

    public record CreateAccount(String accountId, Realm realm, Plan plan, Instant at) {
        public static CreateAccount parse(JsonNode body) {
            Fields f = new Fields(body, Set.of("accountId", "realm", "plan", "at"));
            return new CreateAccount(f.text("accountId"), f.enumValue("realm", Realm.class),
                    f.enumValue("plan", Plan.class), f.instant("at"));
        }
    }

    public record StartCycle(String accountId, Plan plan, Instant start, Instant end, BigDecimal credits, String lotId) {
        public static StartCycle parse(String accountId, JsonNode body) {
            Fields f = new Fields(body, Set.of("plan", "start", "end", "credits", "lotId"));
            StartCycle c = new StartCycle(accountId, f.enumValue("plan", Plan.class), f.instant("start"),
                    f.instant("end"), f.amount("credits", ZERO, true), f.optionalText("lotId"));
            if (!c.end().isAfter(c.start())) {
                throw Problem.invalid("end", "'end' must be after 'start'");
            }
            return c;
        }
    }

    public record GrantAddon(String accountId, String lotId, LotSource source, BigDecimal amount, Instant effectiveAt,
                             Instant expiresAt, String reason, Product originProduct) {
        public static GrantAddon parse(String accountId, JsonNode body) {
            Fields f = new Fields(body, Set.of("lotId", "source", "amount", "effectiveAt", "expiresAt", "reason",
                    "originProduct"));
            LotSource source = f.enumValue("source", LotSource.class);
            if (source == LotSource.PLAN) {
                throw Problem.invalid("source", "add-on credits come from PURCHASE or PROMOTION; plan credits come "
                        + "with a subscription cycle (POST /v1/accounts/{id}/cycles)");
            }
            GrantAddon g = new GrantAddon(accountId, f.optionalText("lotId"), source, f.amount("amount", ZERO, true),
                    f.instant("effectiveAt"), f.instant("expiresAt"), f.text("reason"),
                    f.optionalEnum("originProduct", Product.class));
            if (!g.expiresAt().isAfter(g.effectiveAt())) {
                throw Problem.invalid("expiresAt", "'expiresAt' must be after 'effectiveAt'");
            }
            return g;
        }
    }

    public record ChangePlan(String accountId, Plan toPlan, Instant at, PlanChangeKind kind) {
        public static ChangePlan parse(String accountId, JsonNode body) {
            Fields f = new Fields(body, Set.of("toPlan", "at", "kind"));
            return new ChangePlan(accountId, f.enumValue("toPlan", Plan.class), f.instant("at"),
                    f.enumValue("kind", PlanChangeKind.class));
        }
    }

    /** A usage report; for evaluate, requestId may be left out. */
    public record Usage(String requestId, String accountId, Realm realm, Product product, Feature feature,
                        String model, Outcome outcome, BigDecimal credits, Instant occurredAt) {
        public static Usage parse(JsonNode body, boolean requestIdRequired) {
            Fields f = new Fields(body, Set.of("requestId", "accountId", "realm", "product", "feature", "model",
                    "outcome", "credits", "occurredAt"));
            String requestId = requestIdRequired ? f.text("requestId") : f.optionalText("requestId");
            return new Usage(requestId, f.text("accountId"), f.optionalEnum("realm", Realm.class),
                    f.enumValue("product", Product.class), f.enumValue("feature", Feature.class), f.text("model"),
                    f.enumValue("outcome", Outcome.class), f.amount("credits", ZERO, false), f.instant("occurredAt"));
        }
    }
}
