package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.ADDON_NOT_ALLOWED;
import static dev.creditspolicy.service.ProblemType.CREDITS_LIMIT_EXCEEDED;
import static dev.creditspolicy.service.ProblemType.IDEMPOTENCY_CONFLICT;
import static dev.creditspolicy.service.ProblemType.RULES_TIMEOUT;
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
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.service.Commands.GrantAddon;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/accounts/{id}/lots}, step {@code grant}: add-on credits (a pack or a promotion). */
final class GrantRequest extends RequestKind<GrantAddon, Answer<LotView>> {
    GrantRequest() {
        super("grant", AccountField.PATH, LotFields.NAMES, EventKind.GRANT, List.of());
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/accounts/{id}/lots", Endpoint.OPERATORS, GrantBody.class, "grantCredits",
                        "accounts", "Grants add-on credits: a purchase or a promotion")
                .created(LotFields.LOCATION).audited("grant", "{accountId}").refuses(UNKNOWN_ACCOUNT,
                        IDEMPOTENCY_CONFLICT, ADDON_NOT_ALLOWED, CREDITS_LIMIT_EXCEEDED, TOO_MANY_LOTS, RULES_TIMEOUT);
    }

    @Schema(description = "Add-on credits: a purchase or a promotion.",
            additionalProperties = AdditionalPropertiesValue.FALSE, example = Examples.GRANT)
    record GrantBody(
            @Schema(description = "the lot's id; the service makes one when left out")
            @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String lotId,
            @Schema(allowableValues = {"PURCHASE", "PROMOTION"}, description = "plan credits come with a cycle")
            @NotNull String source,
            @Schema(multipleOf = 0.0001, description = "more than 0, at most 4 decimals")
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(Bounds.AMOUNT_MAX) BigDecimal amount,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime effectiveAt,
            @Schema(description = "after effectiveAt; " + Bounds.INSTANT) @NotNull OffsetDateTime expiresAt,
            @NotNull @Size(min = 1, max = Bounds.REASON_MAX) String reason,
            @Schema(description = "the product the credits were bought for, when only it may use them")
            Product originProduct) {
    }

    @Override
    public GrantAddon parse(String accountId, JsonNode body) {
        Fields f = new Fields(body, Set.of("lotId", "source", "amount", "effectiveAt", "expiresAt", "reason",
                "originProduct"));
        LotSource source = f.enumValue("source", LotSource.class);
        if (source == LotSource.PLAN) {
            throw Problem.invalid("source", "add-on credits come from PURCHASE or PROMOTION; plan credits come "
                    + "with a subscription cycle (POST /v1/accounts/{id}/cycles)");
        }
        GrantAddon g = new GrantAddon(accountId, Ids.optional(f, "lotId"), source, f.amount("amount", Money.ZERO, true),
                f.instant("effectiveAt"), f.instant("expiresAt"), f.text("reason"),
                f.optionalEnum("originProduct", Product.class));
        if (!g.expiresAt().isAfter(g.effectiveAt())) {
            throw Problem.invalid("expiresAt", "'expiresAt' must be after 'effectiveAt'");
        }
        return g;
    }


    @Override
    public String accountOf(GrantAddon cmd) {
        return cmd.accountId();
    }

    @Override
    public Answer<LotView> execute(CreditsServices s, GrantAddon cmd) {
        return s.accounts().grantAddon(cmd);
    }

    @Override
    public Instant clockAt(GrantAddon cmd) {
        return cmd.effectiveAt();
    }

    @Override
    public Stored<GrantAddon, Answer<LotView>> stored(CreditsServices s, String accountId, String ref) {
        LotView l = s.accounts().lot(accountId, ref);
        return new Stored<>(new GrantAddon(accountId, l.lotId(), l.source(), l.amount(), l.effectiveAt(),
                l.initialExpiresAt(), l.reason(), l.originProduct()), new Answer<>(l, false));
    }
}
