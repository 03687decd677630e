package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.service.Commands.ChangePlan;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/accounts/{id}/plan-changes}, step {@code planChange}: an upgrade or downgrade at an instant. */
final class PlanChangeRequest extends RequestKind<ChangePlan, Answer<PlanChangeView>> {
    PlanChangeRequest() {
        super("planChange", AccountField.PATH, Set.of("fromPlan", "toPlan", "kind", "at", "expiryChanges",
                "rulesVersion", "firedRules"), EventKind.PLAN_CHANGE, List.of("expiryChanges"),
                new ListAsMap("expiryChanges", "lotId", "newExpiresAt"));
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/accounts/{id}/plan-changes", Endpoint.OPERATORS, PlanChangeBody.class, "changePlan",
                        "accounts", "An upgrade or a downgrade, with the expiry changes it made")
                .created("/v1/accounts/{accountId}/plan-changes").audited("planChange", "{accountId}")
                .refuses(UNKNOWN_ACCOUNT, RULES_TIMEOUT);
    }

    @Schema(description = "An upgrade or a downgrade at `at`.", additionalProperties = AdditionalPropertiesValue.FALSE)
    record PlanChangeBody(
            @NotNull Plan toPlan,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime at,
            @NotNull PlanChangeKind kind) {
    }

    @Override
    public ChangePlan parse(String accountId, JsonNode body) {
        Fields f = new Fields(body, Set.of("toPlan", "at", "kind"));
        return new ChangePlan(accountId, f.enumValue("toPlan", Plan.class), f.instant("at"),
                f.enumValue("kind", PlanChangeKind.class));
    }


    @Override
    public String accountOf(ChangePlan cmd) {
        return cmd.accountId();
    }

    @Override
    public Answer<PlanChangeView> execute(CreditsServices s, ChangePlan cmd) {
        return s.accounts().changePlan(cmd);
    }

    @Override
    public Instant clockAt(ChangePlan cmd) {
        return cmd.at();
    }



    /** Written as the spec's example writes it: kind before the target plan. */
    @Override
    public ObjectNode toStep(ChangePlan cmd) {
        ObjectNode body = JSON.createObjectNode();
        body.put("account", cmd.accountId());
        body.put("kind", cmd.kind().name());
        body.put("toPlan", cmd.toPlan().name());
        body.put("at", cmd.at().toString());
        return body;
    }

    @Override
    public Stored<ChangePlan, Answer<PlanChangeView>> stored(CreditsServices s, String accountId, String ref) {
        PlanChangeView c = s.accounts().planChange(accountId, Long.parseLong(ref));
        return new Stored<>(new ChangePlan(accountId, c.toPlan(), c.at(), c.kind()), new Answer<>(c, false));
    }
}
