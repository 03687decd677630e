package dev.creditspolicy.requests;

import static dev.creditspolicy.service.ProblemType.ACCOUNT_EXISTS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands.CreateAccount;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.store.Rows.EventKind;

/** {@code POST /v1/accounts}, step {@code account}: an account in a realm, on a plan from an instant. */
final class AccountRequest extends RequestKind<CreateAccount, Answer<AccountView>> {
    AccountRequest() {
        super("account", AccountField.ID, Set.of("accountId", "realm", "currentPlan", "createdAt"), EventKind.ACCOUNT, List.of());
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.post("/v1/accounts", Endpoint.OPERATORS, AccountBody.class, "createAccount", "accounts",
                "Creates an account on its plan").created("/v1/accounts/{accountId}")
                .audited("account", "{accountId}").refuses(ACCOUNT_EXISTS);
    }

    @Schema(description = "A new account, on its plan from `at`.", additionalProperties = AdditionalPropertiesValue.FALSE,
            example = Examples.ACCOUNT)
    record AccountBody(
            @NotNull @Size(min = 1, max = Bounds.ID_MAX) @Pattern(regexp = Bounds.ID) String accountId,
            @NotNull Realm realm,
            @NotNull Plan plan,
            @Schema(description = Bounds.INSTANT) @NotNull OffsetDateTime at) {
    }

    @Override
    public CreateAccount parse(String accountId, JsonNode body) {
        Fields f = new Fields(body, Set.of("accountId", "realm", "plan", "at"));
        return new CreateAccount(Ids.required(f, "accountId"), f.enumValue("realm", Realm.class),
                f.enumValue("plan", Plan.class), f.instant("at"));
    }


    /** A new account: its realm must be one the caller may touch (an existing id is the service's to answer). */
    @Override
    public Realm createsIn(CreateAccount cmd) {
        return cmd.realm();
    }

    @Override
    public Answer<AccountView> execute(CreditsServices s, CreateAccount cmd) {
        return s.accounts().create(cmd);
    }

    @Override
    public Instant clockAt(CreateAccount cmd) {
        return cmd.at();
    }

    @Override
    public Stored<CreateAccount, Answer<AccountView>> stored(CreditsServices s, String accountId, String ref) {
        AccountView a = s.accounts().get(ref);
        return new Stored<>(new CreateAccount(a.accountId(), a.realm(), a.planHistory().get(0).plan(), a.createdAt()),
                new Answer<>(a, false));
    }
}
