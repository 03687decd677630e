package dev.creditspolicy.requests;

import java.time.Instant;
import java.util.List;
import java.util.Set;

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
