package dev.creditspolicy.service;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.facts.AddonGrant;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Refusal;
import dev.creditspolicy.service.Commands.ChangePlan;
import dev.creditspolicy.service.Commands.CreateAccount;
import dev.creditspolicy.service.Commands.GrantAddon;
import dev.creditspolicy.service.Commands.StartCycle;
import dev.creditspolicy.service.Views.AccountEvent;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.service.Views.PlanPeriod;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.CreditsLogRow;
import dev.creditspolicy.store.Rows.EventKind;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PlanPeriodRow;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.store.Store.Tx;

/** Accounts, their plan history, and the credits they acquire: cycles, add-on grants, plan changes. */
public final class AccountService {
    private final Store store;
    private final PolicyEngine engine;
    private final Clock clock;
    private final LotLimits lotLimits;
    private final java.util.concurrent.ConcurrentHashMap<String, Realm> realms =
            new java.util.concurrent.ConcurrentHashMap<>();

    public AccountService(Store store, PolicyEngine engine, Clock clock, int activeLots) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.lotLimits = new LotLimits(activeLots);
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
            Accounts.changed(tx, engine.current(), clock, row, EventKind.ACCOUNT, cmd.accountId(), cmd.at(), List.of());
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
            lotLimits.check(tx, account.accountId(), cmd.credits(), cmd.start(), cmd.end(), "credits");
            LotRow lot = new LotRow(lotId, account.accountId(), account.realm(), LotSource.PLAN, cmd.plan(), null,
                    "subscription cycle " + cmd.plan(), cmd.credits(), cmd.credits(), cmd.start(), cmd.end(),
                    cmd.end(), hash);
            return new Answer<>(acquire(tx, account, lot), false);
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
            lotLimits.check(tx, account.accountId(), cmd.amount(), cmd.effectiveAt(), cmd.expiresAt(), "amount");
            LotRow lot = new LotRow(lotId, account.accountId(), account.realm(), cmd.source(), null,
                    cmd.originProduct(), cmd.reason(), cmd.amount(), cmd.amount(), cmd.effectiveAt(),
                    cmd.expiresAt(), cmd.expiresAt(), hash);
            return new Answer<>(acquire(tx, account, lot), false);
        });
    }

    /** A plan change: the plan history moves on, and the lots' expiry changes expiry.drl concludes are applied. */
    public Answer<PlanChangeView> changePlan(ChangePlan cmd) {
        String hash = RequestHash.of(cmd);
        return store.inTransaction(tx -> PlanChanges.change(tx, engine, clock, cmd, hash));
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
                .filter(r -> r.changeId() == changeId).findFirst().map(r -> PlanChanges.view(tx, r))
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
            return tx.planChanges().ofAccount(accountId).stream().map(r -> PlanChanges.view(tx, r)).toList();
        });
    }

    /**
     * The account's expiry changes, newest first: its plan changes and its voids (kind VOID, cause VOID and the
     * void's reason) side by side. A void that changed nothing lists no expiry change.
     */
    public Page<Record> expiryChangeListing(String accountId, PageRequest page) {
        return store.inTransaction(tx -> {
            Accounts.find(tx, accountId);
            return PlanChanges.listing(tx, accountId, page);
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

    private LotView acquire(Tx tx, AccountRow account, LotRow lot) {
        tx.lots().insert(lot);
        Accounts.changed(tx, engine.current(), clock, account,
                lot.source() == LotSource.PLAN ? EventKind.CYCLE : EventKind.GRANT, lot.lotId(), lot.effectiveAt(),
                List.of());
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
}
