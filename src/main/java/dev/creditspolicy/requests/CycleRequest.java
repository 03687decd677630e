package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.CREDITS_LIMIT_EXCEEDED;
import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
import static dev.creditspolicy.service.ProblemType.TOO_MANY_LOTS;
import static dev.creditspolicy.service.ProblemType.UNKNOWN_ACCOUNT;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.service.Commands.StartCycle;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/accounts/{id}/cycles}, step {@code cycle}: a subscription cycle and its plan lot. */
final class CycleRequest extends RequestKind<StartCycle, Answer<LotView>> {
    CycleRequest() {
        super("cycle", AccountField.PATH, LotFields.NAMES, EventKind.CYCLE, List.of());
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/accounts/{id}/cycles", Endpoint.OPERATORS, CycleBody.class, "startCycle",
                        "accounts", "Starts a subscription cycle: grants the plan's lot")
                .created(LotFields.LOCATION).audited("cycle", "{accountId}")
                .refuses(UNKNOWN_ACCOUNT, IDEMPOTENCY_CONFLICT, CREDITS_LIMIT_EXCEEDED, TOO_MANY_LOTS);
    }

    @Schema(description = "A subscription cycle: grants the plan's lot for [start, end) and logs it.",
            additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.CYCLE)
    record CycleBody(
            @NotNull Plan plan,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime start,
            @Schema(description = "after start; " + Bounds.INSTANT) @NotNull OffsetDateTime end,
            @Schema(multipleOf = 0.0001, description = "the plan's credits, more than 0, at most 4 decimals")
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(Bounds.AMOUNT_MAX) BigDecimal credits,
            @Schema(description = "the lot's id; the service makes one when left out")
            @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String lotId) {
    }

    @Override
    public StartCycle parse(String accountId, JsonNode body) {
        Fields f = new Fields(body, Set.of("plan", "start", "end", "credits", "lotId"));
        StartCycle c = new StartCycle(accountId, f.enumValue("plan", Plan.class), f.instant("start"), f.instant("end"),
                f.amount("credits", Money.ZERO, true), Ids.optional(f, "lotId"));
        if (!c.end().isAfter(c.start())) {
            throw Problem.invalid("end", "'end' must be after 'start'");
        }
        return c;
    }


    @Override
    public String accountOf(StartCycle cmd) {
        return cmd.accountId();
    }

    @Override
    public Answer<LotView> execute(CreditsServices s, StartCycle cmd) {
        return s.accounts().startCycle(cmd);
    }

    @Override
    public Instant clockAt(StartCycle cmd) {
        return cmd.start();
    }

    @Override
    public Stored<StartCycle, Answer<LotView>> stored(CreditsServices s, String accountId, String ref) {
        LotView l = s.accounts().lot(accountId, ref);
        return new Stored<>(new StartCycle(accountId, l.plan(), l.effectiveAt(), l.initialExpiresAt(), l.amount(),
                l.lotId()), new Answer<>(l, false));
    }
}
