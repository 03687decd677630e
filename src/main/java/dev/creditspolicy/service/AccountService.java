package dev.creditspolicy.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.PlanChangeVerdict;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.AddonGrant;
import dev.creditspolicy.policy.facts.ExpiryChange;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.PlanChange;
import dev.creditspolicy.policy.facts.Refusal;
import dev.creditspolicy.service.Commands.ChangePlan;
import dev.creditspolicy.service.Commands.CreateAccount;
import dev.creditspolicy.service.Commands.GrantAddon;
import dev.creditspolicy.service.Commands.StartCycle;
import dev.creditspolicy.service.Views.AccountEvent;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExpiryChangeView;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.service.Views.PlanPeriod;
import dev.creditspolicy.service.Views.VoidChangeView;
import dev.creditspolicy.store.Rows.VoidRow;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.CreditsLogRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.ExpiryChangeRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PlanChangeRow;
import dev.creditspolicy.store.Rows.PlanPeriodRow;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/** Accounts, their plan history, and the credits they acquire: cycles, add-on grants, plan changes. */
public final class AccountService {
    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;
    private final java.util.concurrent.ConcurrentHashMap<String, Realm> realms =
            new java.util.concurrent.ConcurrentHashMap<>();

    public AccountService(Store store, PolicyEngine engine, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
    }

    public Answer<AccountView> create(CreateAccount cmd) {
        String hash = RequestHash.of(cmd);
        return store.inTransaction(tx -> {
            var existing = tx.accounts().find(cmd.accountId());
            if (existing.isPresent()) {
                if (!RequestHash.matches(existing.get().requestHash(), cmd)) {
                    throw new Problem(Problem.ACCOUNT_EXISTS, "Account exists",
                            "account '" + cmd.accountId() + "' exists with other details", "accountId", null);
                }
                return new Answer<>(view(tx, existing.get()), true);
            }
            AccountRow row = new AccountRow(cmd.accountId(), cmd.realm(), cmd.at(), hash);
            tx.accounts().insert(row);
            tx.accounts().insertPlanPeriod(new PlanPeriodRow(cmd.accountId(), 0, cmd.plan(), cmd.at()));
            Accounts.event(tx, clock, cmd.accountId(), EventKind.ACCOUNT, cmd.accountId());
            return new Answer<>(view(tx, row), false);
        });
    }

    /**
     * The realm of an account, for the callers' realm checks. An account's realm never changes and accounts are
     * never deleted, so a realm once read is kept (bounded: the map starts over past 100,000 accounts).
     */
    public Optional<Realm> realmOf(String accountId) {
        Realm known = realms.get(accountId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Realm> realm = store.inTransaction(tx -> tx.accounts().find(accountId)).map(AccountRow::realm);
        realm.ifPresent(r -> {
            if (realms.size() >= 100_000) {
                realms.clear();
            }
            realms.put(accountId, r);
        });
        return realm;
    }

    public AccountView get(String accountId) {
        return store.inTransaction(tx -> view(tx, Accounts.find(tx, accountId)));
    }

    public Answer<LotView> startCycle(StartCycle cmd) {
        String hash = RequestHash.of(cmd);
        return store.inTransaction(tx -> {
            AccountRow account = Accounts.lock(tx, cmd.accountId());
            String lotId = cmd.lotId() != null ? cmd.lotId() : Accounts.nextLotId(tx, account, "plan");
            var replay = replayedLot(tx, lotId, cmd);
            if (replay != null) {
                return replay;
            }
            checkHoldingLimit(tx, account.accountId(), cmd.credits(), cmd.start(), cmd.end(), "credits");
            LotRow lot = new LotRow(lotId, account.accountId(), account.realm(), LotSource.PLAN, cmd.plan(), null,
                    "subscription cycle " + cmd.plan(), cmd.credits(), cmd.credits(), cmd.start(), cmd.end(),
                    cmd.end(), hash);
            return new Answer<>(acquire(tx, lot), false);
        });
    }

    public Answer<LotView> grantAddon(GrantAddon cmd) {
        String hash = RequestHash.of(cmd);
        return store.inTransaction(tx -> {
            AccountRow account = Accounts.lock(tx, cmd.accountId());
            String lotId = cmd.lotId() != null ? cmd.lotId()
                    : Accounts.nextLotId(tx, account, cmd.source().name().toLowerCase());
            var replay = replayedLot(tx, lotId, cmd);
            if (replay != null) {
                return replay;
            }
            PlanHistory plans = PlanHistory.of(tx, account.accountId());
            List<Refusal> refusals = engine.current().evaluateGrant(new AddonGrant(account.accountId(),
                    plans.at(cmd.effectiveAt()), plans.latest().plan(), cmd.source(), cmd.effectiveAt()));
            if (!refusals.isEmpty()) {
                Refusal r = refusals.get(0);
                throw new Problem(r.getProblem(), "Grant refused by the rules", r.getMessage(), "source", null);
            }
            checkHoldingLimit(tx, account.accountId(), cmd.amount(), cmd.effectiveAt(), cmd.expiresAt(), "amount");
            LotRow lot = new LotRow(lotId, account.accountId(), account.realm(), cmd.source(), null,
                    cmd.originProduct(), cmd.reason(), cmd.amount(), cmd.amount(), cmd.effectiveAt(),
                    cmd.expiresAt(), cmd.expiresAt(), hash);
            return new Answer<>(acquire(tx, lot), false);
        });
    }

    /**
     * The most credits an account may hold at any one instant: every balance, balance after and total the ledger
     * stores or answers then fits its NUMERIC(19,4) columns. A new lot is refused when, with the credits left in
     * every lot of the account whose validity overlaps its own, it would exceed this; since lots only shrink
     * (usage, earlier expiry) an accepted grant keeps every later call answerable.
     */
    public static final BigDecimal MAX_HELD = new BigDecimal("999999999999999");

    private static void checkHoldingLimit(Tx tx, String accountId, BigDecimal amount, Instant from, Instant to,
                                          String field) {
        BigDecimal held = BigDecimal.ZERO;
        for (LotRow l : tx.lots().ofAccount(accountId)) {
            if (l.effectiveAt().isBefore(to) && l.expiresAt().isAfter(from)) {
                held = held.add(l.remaining());
            }
        }
        if (held.add(amount).compareTo(MAX_HELD) > 0) {
            throw new Problem(Problem.CREDITS_LIMIT_EXCEEDED, "Account credits limit exceeded",
                    "the account would hold more than " + MAX_HELD.toPlainString() + " credits at once: it holds "
                            + held.stripTrailingZeros().toPlainString() + " in lots overlapping "
                            + from + " to " + to, field, null);
        }
    }

    public Answer<PlanChangeView> changePlan(ChangePlan cmd) {
        String hash = RequestHash.of(cmd);
        return store.inTransaction(tx -> {
            AccountRow account = Accounts.lock(tx, cmd.accountId());
            var latest = tx.planChanges().latest(account.accountId());
            if (latest.isPresent() && RequestHash.matches(latest.get().requestHash(), cmd)) {
                return new Answer<>(planChangeView(tx, latest.get()), true);
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
            Accounts.event(tx, clock, account.accountId(), EventKind.PLAN_CHANGE, Long.toString(changeId));
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
            return new Answer<>(planChangeView(tx, tx.planChanges().latest(account.accountId()).orElseThrow()),
                    false);
        });
    }

    /** A lot of the account as it stands (what history rebuilds a cycle or grant from). */
    public LotView lot(String accountId, String lotId) {
        return store.inTransaction(tx -> tx.lots().find(lotId).filter(l -> l.accountId().equals(accountId))
                .map(l -> LotView.of(l, null)).orElseThrow(() -> new Problem(Problem.NOT_FOUND, "Unknown lot",
                        "no lot '" + lotId + "' on account '" + accountId + "'", "lotId", null)));
    }

    /** One plan change of the account with the expiry changes it made. */
    public PlanChangeView planChange(String accountId, long changeId) {
        return store.inTransaction(tx -> tx.planChanges().ofAccount(accountId).stream()
                .filter(r -> r.changeId() == changeId).findFirst().map(r -> planChangeView(tx, r))
                .orElseThrow(() -> new Problem(Problem.NOT_FOUND, "Unknown plan change",
                        "no plan change " + changeId + " on account '" + accountId + "'", "changeId", null)));
    }

    /** Every account id, sorted. */
    public List<String> ids() {
        return store.inTransaction(tx -> tx.accounts().allIds());
    }

    /** The account's requests in the order they were applied (what record and rules impact replay). */
    public List<AccountEvent> events(String accountId) {
        return store.inTransaction(tx -> {
            Accounts.find(tx, accountId);
            return tx.accounts().events(accountId).stream().map(e -> new AccountEvent(e.kind(), e.ref())).toList();
        });
    }

    public List<PlanChangeView> planChanges(String accountId) {
        return store.inTransaction(tx -> {
            Accounts.find(tx, accountId);
            return tx.planChanges().ofAccount(accountId).stream().map(r -> planChangeView(tx, r)).toList();
        });
    }

    /**
     * The account's expiry changes, newest first: its plan changes and its voids (kind VOID, cause VOID and the
     * void's reason) side by side. A void that changed nothing lists no expiry change.
     */
    public Page<Record> expiryChangeListing(String accountId, PageRequest page) {
        return store.inTransaction(tx -> {
            Accounts.find(tx, accountId);
            // a short list (changes are operators' acts): sorted here, and only the page's views are read
            record Dated(Cursor key, java.util.function.Supplier<Record> view) {
            }
            List<Dated> all = new ArrayList<>();
            tx.planChanges().ofAccount(accountId).forEach(r -> all.add(new Dated(new Cursor(r.changedAt(),
                    "1-" + String.format("%019d", r.changeId())), () -> planChangeView(tx, r))));
            for (VoidRow v : tx.corrections().voidsOfAccount(accountId)) {
                List<ExpiryChangeView> changes = v.changed() ? List.of(new ExpiryChangeView(v.lotId(),
                        v.oldExpiresAt(), v.newExpiresAt(), "VOID: " + v.reason(), v.ruleName())) : List.of();
                all.add(new Dated(new Cursor(v.voidedAt(), "0-" + String.format("%019d", v.voidId())),
                        () -> new VoidChangeView(accountId, "VOID", v.voidedAt(), v.reason(), changes,
                                v.rulesVersion(), Accounts.splitRules(v.firedRules()))));
            }
            // newest first; at one instant, plan changes (newest first), then voids
            return Page.slice(all, page, Dated::key).map(d -> d.view().get());
        });
    }

    private Answer<LotView> replayedLot(Tx tx, String lotId, Record cmd) {
        var existing = tx.lots().find(lotId);
        if (existing.isEmpty()) {
            return null;
        }
        if (!RequestHash.matches(existing.get().requestHash(), cmd)) {
            throw Problem.conflict("lotId", "lot '" + lotId + "' was granted with another body");
        }
        return new Answer<>(LotView.of(existing.get(), null), true);
    }

    private LotView acquire(Tx tx, LotRow lot) {
        tx.lots().insert(lot);
        Accounts.event(tx, clock, lot.accountId(), lot.source() == LotSource.PLAN ? EventKind.CYCLE : EventKind.GRANT,
                lot.lotId());
        tx.lots().insertLog(new CreditsLogRow(null, lot.accountId(), lot.lotId(), lot.source().creditsLogType(),
                lot.reason(), lot.amount(), lot.effectiveAt(), lot.initialExpiresAt(), clock.instant()));
        return LotView.of(lot, null);
    }

    private static AccountView view(Tx tx, AccountRow row) {
        List<PlanPeriod> history = tx.accounts().planHistory(row.accountId()).stream()
                .map(p -> new PlanPeriod(p.plan(), p.effectiveAt())).toList();
        return new AccountView(row.accountId(), row.realm(), row.createdAt(), history.get(history.size() - 1).plan(),
                history);
    }

    private static PlanChangeView planChangeView(Tx tx, PlanChangeRow r) {
        List<ExpiryChangeView> changes = tx.planChanges().expiryChanges(r.changeId()).stream()
                .map(c -> new ExpiryChangeView(c.lotId(), c.oldExpiresAt(), c.newExpiresAt(), c.cause(),
                        c.ruleName()))
                .toList();
        return new PlanChangeView(r.accountId(), r.fromPlan(), r.toPlan(), r.kind(), r.changedAt(), changes,
                r.rulesVersion(), Accounts.splitRules(r.firedRules()));
    }
}
