package dev.creditspolicy.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.PlanChangeVerdict;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.ExpiryChange;
import dev.creditspolicy.policy.facts.ExpiryShortened;
import dev.creditspolicy.policy.facts.PlanChange;
import dev.creditspolicy.service.Commands.ChangePlan;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExpiryChangeView;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.service.Views.VoidChangeView;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.ExpiryChangeRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PlanChangeRow;
import dev.creditspolicy.store.Rows.PlanPeriodRow;
import dev.creditspolicy.store.Rows.VoidRow;
import dev.creditspolicy.store.Store.Tx;

/**
 * Plan changes, within the transaction of {@link AccountService}: one applied (the plan history moves on; the expiry
 * changes expiry.drl concludes shorten lots, never lengthen them), and read back with the expiry changes they made,
 * beside the voids' expiry changes.
 */
final class PlanChanges {
    private PlanChanges() {
    }

    /** Applies a plan change, or answers the stored one when the latest change is this same request. */
    static Answer<PlanChangeView> change(Tx tx, PolicyEngine engine, Clock clock, ChangePlan cmd, String hash) {
        AccountRow account = Accounts.lock(tx, cmd.accountId());
        var latest = tx.planChanges().latest(account.accountId());
        if (latest.isPresent() && RequestHash.matches(latest.get().requestHash(), cmd)) {
            return new Answer<>(view(tx, latest.get()), true);
        }
        PlanPeriodRow last = PlanHistory.of(tx, account.accountId()).latest();
        if (cmd.at().isBefore(last.effectiveAt())) {
            throw Problem.invalid("at", "plan changes are recorded in time order: the account is on "
                    + last.plan() + " since " + last.effectiveAt());
        }
        if (cmd.toPlan() == last.plan()) {
            throw Problem.invalid("toPlan", "the account is already on " + cmd.toPlan());
        }
        RuleSet rules = engine.current();
        List<LotRow> lots = tx.lots().activeAt(account.accountId(), cmd.at());
        PlanChangeVerdict verdict = rules.evaluatePlanChange(new PlanChange(account.accountId(), last.plan(),
                cmd.toPlan(), cmd.kind(), cmd.at()), lots.stream().map(LotRow::toFact).toList());
        long changeId = tx.planChanges().insert(new PlanChangeRow(null, account.accountId(), last.plan(),
                cmd.toPlan(), cmd.kind(), cmd.at(), rules.version(), String.join("\n", verdict.firedRules()),
                hash, clock.instant()));
        tx.accounts().insertPlanPeriod(new PlanPeriodRow(account.accountId(), last.seq() + 1, cmd.toPlan(),
                cmd.at()));
        String cause = cmd.kind() + " from " + last.plan() + " to " + cmd.toPlan() + " at " + cmd.at();
        List<ExpiryChangeRow> changes = new ArrayList<>();
        for (ExpiryChange c : verdict.expiryChanges()) {
            // the ledger only ever shortens: a rule that would lengthen a lot's life changes nothing
            if (c.getNewExpiresAt().isBefore(c.getLot().getExpiresAt())
                    && changes.stream().noneMatch(x -> x.lotId().equals(c.getLot().getLotId()))
                    && tx.lots().shortenExpiry(c.getLot().getLotId(), c.getNewExpiresAt()) == 1) {
                changes.add(new ExpiryChangeRow(changeId, c.getLot().getLotId(), c.getLot().getExpiresAt(),
                        c.getNewExpiresAt(), cause, c.getRule()));
            }
        }
        tx.planChanges().insertExpiryChanges(changes);
        Accounts.changed(tx, rules, clock, account, EventKind.PLAN_CHANGE, Long.toString(changeId), cmd.at(),
                changes.stream().map(c -> new ExpiryShortened(c.lotId(), c.oldExpiresAt(), c.newExpiresAt(),
                        cmd.kind().name())).toList());
        return new Answer<>(view(tx, tx.planChanges().latest(account.accountId()).orElseThrow()), false);
    }

    /** The account's plan changes and voids as expiry changes, newest first; at one instant, plan changes first. */
    static Page<Record> listing(Tx tx, String accountId, PageRequest page) {
        // a short list (changes are operators' acts): sorted here, and only the page's views are read
        record Dated(Cursor key, java.util.function.Supplier<Record> view) {
        }
        List<Dated> all = new ArrayList<>();
        tx.planChanges().ofAccount(accountId).forEach(r -> all.add(new Dated(new Cursor(r.changedAt(),
                "1-" + String.format("%019d", r.changeId())), () -> view(tx, r))));
        for (VoidRow v : tx.corrections().voidsOfAccount(accountId)) {
            List<ExpiryChangeView> changes = v.changed() ? List.of(new ExpiryChangeView(v.lotId(),
                    v.oldExpiresAt(), v.newExpiresAt(), "VOID: " + v.reason(), v.ruleName())) : List.of();
            all.add(new Dated(new Cursor(v.voidedAt(), "0-" + String.format("%019d", v.voidId())),
                    () -> new VoidChangeView(accountId, "VOID", v.voidedAt(), v.reason(), changes,
                            v.rulesVersion(), Accounts.splitRules(v.firedRules()))));
        }
        // newest first; at one instant, plan changes (newest first), then voids
        return Page.slice(all, page, Dated::key).map(d -> d.view().get());
    }

    /** A plan change as answered and listed: with the expiry changes it made. */
    static PlanChangeView view(Tx tx, PlanChangeRow r) {
        List<ExpiryChangeView> changes = tx.planChanges().expiryChanges(r.changeId()).stream()
                .map(c -> new ExpiryChangeView(c.lotId(), c.oldExpiresAt(), c.newExpiresAt(), c.cause(),
                        c.ruleName()))
                .toList();
        return new PlanChangeView(r.accountId(), r.fromPlan(), r.toPlan(), r.kind(), r.changedAt(), changes,
                r.rulesVersion(), Accounts.splitRules(r.firedRules()));
    }
}
