package dev.creditspolicy.requests;

import java.time.Instant;
import java.util.List;
import java.util.Set;

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
