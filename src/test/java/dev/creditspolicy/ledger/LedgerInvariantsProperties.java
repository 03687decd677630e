package dev.creditspolicy.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/**
 * Random sequences of requests (cycles, add-on grants, usage of every product and outcome, retries of earlier request
 * ids and lot ids with the same and with another body, plan upgrades and downgrades, holds, voids of lots and
 * reversals of decisions, with their retries) against a fresh database each
 * try; afterwards the ledger's invariants are checked with SQL over the store. A refused request (a {@link Problem})
 * is allowed where the request could be refused, and must leave the database exactly as it was.
 */
class LedgerInvariantsProperties {
    /** Requests happen in a window from just before the Credits model starts to September 2026. */
    private static final Instant WINDOW_START = OffsetDateTime.parse("2026-05-15T00:00:00+08:00").toInstant();
    private static final int WINDOW_DAYS = 110;
    private static final List<String> ACCOUNTS = List.of("acc-0", "acc-1");
    private static final List<String> MODELS = List.of("qwen3-coder", "deepseek-v3", "kimi-k2");

    // ---- the actions a script is made of; instants are minutes after WINDOW_START

    sealed interface Action {
    }

    record Cycle(int account, int startMinute, int days, BigDecimal credits) implements Action {
    }

    record Grant(int account, LotSource source, BigDecimal amount, int effectiveMinute, int lifeMinutes,
                 Product originProduct) implements Action {
    }

    enum RealmNamed { NONE, OWN, OTHER }

    record Use(int account, RealmNamed realm, Product product, Feature feature, String model, Outcome outcome,
               BigDecimal credits, int minute) implements Action {
    }

    record RetryUsage(int pick, boolean sameBody, BigDecimal otherCredits) implements Action {
    }

    record RetryLot(int pick, boolean sameBody, BigDecimal otherAmount) implements Action {
    }

    record ChangePlan(int account, Plan toPlan, PlanChangeKind kind, int minute) implements Action {
    }

    /** A hold of {@code credits}, then maybe settled by a later action; {@code ttlMinutes} 1 to 120. */
    record HoldCall(int account, Product product, BigDecimal credits, int minute, int ttlMinutes) implements Action {
    }

    /** Commits (or, with {@code release}, releases) an earlier hold, {@code afterMinutes} after it (negative: before). */
    record Settle(int pick, boolean release, Outcome outcome, BigDecimal credits, int afterMinutes, boolean retry)
            implements Action {
    }

    /** Voids an earlier lot {@code afterMinutes} after its start (or retries an earlier void with its body). */
    record VoidCall(int pick, int afterMinutes, boolean retry) implements Action {
    }

    /** Reverses an earlier decision {@code afterMinutes} after its call (negative: before); maybe a retry. */
    record ReverseCall(int pick, int afterMinutes, boolean retry, boolean sameBody) implements Action {
    }

    record Script(List<Plan> plans, List<Realm> realms, List<Action> actions) {
    }

    // ---- the property

    @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
    @Label("the ledger's invariants hold after any sequence of requests, retries and plan changes")
    void ledgerInvariantsHoldAfterAnySequence(@ForAll("scripts") Script script) {
        try (FreshLedger ledger = FreshLedger.create("invariants"); Handle reader = ledger.jdbi().open()) {
            new Run(ledger.services(), reader, script).play();
            checkInvariants(ledger.jdbi());
        }
    }

    /** The checks are not vacuous: each catches a ledger corrupted behind the service's back. */
    @Example
    @Label("the invariant checks catch a corrupted ledger")
    void invariantChecksCatchCorruption() {
        List<String> corruptions = List.of(
                "UPDATE lots SET remaining = remaining + 1 WHERE lot_id = 'lot-0'",
                "UPDATE allocations SET lot_id = 'lot-1'",
                "UPDATE usage_decisions SET charged = charged + 1",
                "DELETE FROM credits_log WHERE lot_id = 'lot-1'",
                "UPDATE hold_allocations SET amount = amount + 500",
                "UPDATE holds SET state = 'RELEASED', settled_at = occurred_at, released = held WHERE hold_id = 'hold-3'",
                "UPDATE reversal_allocations SET amount = amount + 1",
                "UPDATE usage_reversals SET reversed = reversed + 1",
                "UPDATE lots SET expires_at = initial_expires_at WHERE lot_id = 'lot-1'");
        for (String corruption : corruptions) {
            Script script = new Script(List.of(Plan.PERSONAL_PRO, Plan.PERSONAL_PRO),
                    List.of(Realm.QODER_CN, Realm.QODER_CN), List.of(
                    new Cycle(0, 0, 31, Money.of(new BigDecimal("100"))),
                    new Cycle(1, 0, 31, Money.of(new BigDecimal("100"))),
                    new Use(0, RealmNamed.NONE, Product.CLI, Feature.QUEST_AGENT, "m", Outcome.SUCCEEDED,
                            Money.of(new BigDecimal("10")), 10 * 1440),
                    new HoldCall(0, Product.CLI, Money.of(new BigDecimal("20")), 11 * 1440, 30),
                    new Settle(0, false, Outcome.SUCCEEDED, Money.of(new BigDecimal("15")), 10, false),
                    new Use(1, RealmNamed.NONE, Product.CLI, Feature.QUEST_AGENT, "m", Outcome.SUCCEEDED,
                            Money.of(new BigDecimal("30")), 12 * 1440),
                    new ReverseCall(0, 60, false, true),
                    new VoidCall(1, 20 * 1440, false)));
            try (FreshLedger ledger = FreshLedger.create("corrupted"); Handle reader = ledger.jdbi().open()) {
                new Run(ledger.services(), reader, script).play();
                checkInvariants(ledger.jdbi());
                reader.execute(corruption);
                assertThrows(AssertionError.class, () -> checkInvariants(ledger.jdbi()), corruption);
            }
        }
    }

    /**
     * The real services (as {@link TestServices#fresh} makes them: repository rules, fixed clock) on a fresh database
     * behind a small connection pool, so a try costs the same few connections on PostgreSQL as on H2.
     */
    private record FreshLedger(CreditsServices services, HikariDataSource pool) implements AutoCloseable {
        static FreshLedger create(String label) {
            HikariConfig config = new HikariConfig();
            config.setDataSource(TestDatabases.fresh(label));
            config.setMaximumPoolSize(3);
            HikariDataSource pool = new HikariDataSource(config);
            return new FreshLedger(CreditsServices.of(new Store(pool), TestServices.rules(),
                    Clock.fixed(TestServices.NOW, ZoneOffset.UTC), new SimpleMeterRegistry()), pool);
        }

        Jdbi jdbi() {
            return services.store().jdbi();
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** Plays a script, checking each answer as it goes and remembering what was accepted. */
    private static final class Run {
        private final CreditsServices services;
        private final Handle reader;
        private final Script script;
        private final List<Commands.Usage> acceptedUsage = new ArrayList<>();
        private final Map<String, UsageDecision> firstDecisions = new HashMap<>();
        private final List<Record> acceptedLots = new ArrayList<>();
        private final List<Commands.Hold> acceptedHolds = new ArrayList<>();
        private final Map<String, Record> settled = new HashMap<>();
        private final List<Commands.VoidLot> acceptedVoids = new ArrayList<>();
        private final Map<Commands.VoidLot, Object> voidAnswers = new HashMap<>();
        private final Map<String, Commands.Reversal> reversals = new HashMap<>();
        private final Map<String, Object> reversalAnswers = new HashMap<>();
        private final Map<String, Instant> decidedAt = new HashMap<>();
        private int nextId;

        Run(CreditsServices services, Handle reader, Script script) {
            this.services = services;
            this.reader = reader;
            this.script = script;
        }

        void play() {
            for (int i = 0; i < ACCOUNTS.size(); i++) {
                services.accounts().create(new Commands.CreateAccount(ACCOUNTS.get(i), script.realms().get(i),
                        script.plans().get(i), WINDOW_START.minus(1, ChronoUnit.DAYS)));
            }
            for (Action action : script.actions()) {
                apply(action);
            }
            assertEquals(firstDecisions.size(), count("usage_decisions"), "one decision per accepted request id");
            assertEquals(acceptedLots.size(), count("lots"), "one lot per accepted lot id");
        }

        private void apply(Action action) {
            if (action instanceof Cycle c) {
                cycle(c);
            } else if (action instanceof Grant g) {
                grant(g);
            } else if (action instanceof Use u) {
                use(u);
            } else if (action instanceof RetryUsage r) {
                retryUsage(r);
            } else if (action instanceof RetryLot r) {
                retryLot(r);
            } else if (action instanceof ChangePlan c) {
                changePlan(c);
            } else if (action instanceof HoldCall h) {
                hold(h);
            } else if (action instanceof Settle st) {
                settle(st);
            } else if (action instanceof VoidCall v) {
                voidLot(v);
            } else if (action instanceof ReverseCall r) {
                reverse(r);
            }
        }

        private void cycle(Cycle c) {
            String account = ACCOUNTS.get(c.account());
            Plan plan = services.accounts().get(account).currentPlan();
            Instant start = minute(c.startMinute());
            var cmd = new Commands.StartCycle(account, plan, start, start.plus(c.days(), ChronoUnit.DAYS),
                    c.credits(), "lot-" + (nextId++));
            attempt(Set.of(), () -> services.accounts().startCycle(cmd)).ifPresent(a -> acceptedLots.add(cmd));
        }

        private void grant(Grant g) {
            Instant effective = minute(g.effectiveMinute());
            var cmd = new Commands.GrantAddon(ACCOUNTS.get(g.account()), "lot-" + (nextId++), g.source(),
                    g.amount(), effective, effective.plus(g.lifeMinutes(), ChronoUnit.MINUTES), "random grant",
                    g.originProduct());
            // refused only for an account on an enterprise tier
            attempt(Set.of(Problem.ADDON_NOT_ALLOWED), () -> services.accounts().grantAddon(cmd))
                    .ifPresent(a -> acceptedLots.add(cmd));
        }

        private void use(Use u) {
            Realm own = script.realms().get(u.account());
            Realm named = switch (u.realm()) {
                case NONE -> null;
                case OWN -> own;
                case OTHER -> own == Realm.QODER ? Realm.QODER_CN : Realm.QODER;
            };
            var cmd = new Commands.Usage("req-" + (nextId++), ACCOUNTS.get(u.account()), named, u.product(),
                    u.feature(), u.model(), u.outcome(), u.credits(), minute(u.minute()));
            Set<String> allowed = u.realm() == RealmNamed.OTHER ? Set.of(Problem.REALM_MISMATCH) : Set.of();
            attempt(allowed, () -> services.usage().record(cmd)).ifPresent(a -> {
                assertTrue(u.realm() != RealmNamed.OTHER, "a call naming another realm was decided");
                assertTrue(!a.replayed(), "a new request id is not a replay");
                checkDecision(cmd, a.body());
                Statistics.label("decisions").collect(describe(a.body()));
                acceptedUsage.add(cmd);
                firstDecisions.put(cmd.requestId(), a.body());
                decidedAt.put(cmd.requestId(), cmd.occurredAt());
            });
        }

        private void retryUsage(RetryUsage r) {
            if (acceptedUsage.isEmpty()) {
                return;
            }
            Commands.Usage first = acceptedUsage.get(r.pick() % acceptedUsage.size());
            if (r.sameBody()) {
                Answer<UsageDecision> a = services.usage().record(first);
                assertTrue(a.replayed(), "a retry with the same body is a replay");
                assertEquals(firstDecisions.get(first.requestId()), a.body(), "a replay answers the first decision");
            } else {
                var other = new Commands.Usage(first.requestId(), first.accountId(), first.realm(), first.product(),
                        first.feature(), first.model(), first.outcome(),
                        differentFrom(first.credits(), r.otherCredits()), first.occurredAt());
                mustRefuse(Problem.IDEMPOTENCY_CONFLICT, () -> services.usage().record(other));
            }
        }

        private void retryLot(RetryLot r) {
            if (acceptedLots.isEmpty()) {
                return;
            }
            Record first = acceptedLots.get(r.pick() % acceptedLots.size());
            if (first instanceof Commands.StartCycle c) {
                if (r.sameBody()) {
                    assertTrue(services.accounts().startCycle(c).replayed(), "a cycle retried is a replay");
                } else {
                    var other = new Commands.StartCycle(c.accountId(), c.plan(), c.start(), c.end(),
                            differentFrom(c.credits(), r.otherAmount()), c.lotId());
                    mustRefuse(Problem.IDEMPOTENCY_CONFLICT, () -> services.accounts().startCycle(other));
                }
            } else {
                var g = (Commands.GrantAddon) first;
                if (r.sameBody()) {
                    assertTrue(services.accounts().grantAddon(g).replayed(), "a grant retried is a replay");
                } else {
                    var other = new Commands.GrantAddon(g.accountId(), g.lotId(), g.source(),
                            differentFrom(g.amount(), r.otherAmount()), g.effectiveAt(), g.expiresAt(), g.reason(),
                            g.originProduct());
                    mustRefuse(Problem.IDEMPOTENCY_CONFLICT, () -> services.accounts().grantAddon(other));
                }
            }
        }

        private void changePlan(ChangePlan c) {
            var cmd = new Commands.ChangePlan(ACCOUNTS.get(c.account()), c.toPlan(), minute(c.minute()), c.kind());
            // refused when out of time order, or to the plan the account is already on
            attempt(Set.of(Problem.VALIDATION_FAILED), () -> services.accounts().changePlan(cmd));
        }

        private void hold(HoldCall h) {
            var cmd = new Commands.Hold("hold-" + (nextId++), ACCOUNTS.get(h.account()), null, h.product(),
                    Feature.QUEST_AGENT, "m", h.credits(), minute(h.minute()), h.ttlMinutes() * 60);
            attempt(Set.of(), () -> services.holds().hold(cmd)).ifPresent(a -> {
                Statistics.label("holds").collect(a.body().status());
                BigDecimal allocated = a.body().allocations().stream().map(Allocation::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                assertEquals(0, allocated.compareTo(a.body().held()), "a hold's allocations are what it holds");
                // HELD for what the call will cost (held 0 for a call the rules exempt: before the Credits model)
                assertTrue(a.body().reason() != Reason.HELD || a.body().held().compareTo(cmd.credits()) == 0,
                        "no partial hold: " + a.body());
                acceptedHolds.add(cmd);
            });
        }

        private void settle(Settle st) {
            if (acceptedHolds.isEmpty()) {
                return;
            }
            // mostly one of the latest holds: an older one has usually been expired by a later-dated request
            int n = acceptedHolds.size();
            Commands.Hold h = acceptedHolds.get(st.pick() % 4 == 0 ? st.pick() % n : n - 1 - st.pick() % Math.min(n, 2));
            Instant at = h.occurredAt().plus(st.afterMinutes(), ChronoUnit.MINUTES);
            Record earlier = settled.get(h.holdId());
            Record cmd = st.retry() && earlier != null ? earlier : st.release()
                    ? new Commands.Release(h.holdId(), at) : new Commands.Commit(h.holdId(), st.outcome(), st.credits(), at);
            Set<String> allowed = Set.of(Problem.HOLD_SETTLED, Problem.HOLD_EXPIRED, Problem.VALIDATION_FAILED,
                    Problem.IDEMPOTENCY_CONFLICT);
            if (cmd instanceof Commands.Commit c) {
                attempt(allowed, () -> services.holds().commit(c)).ifPresent(a -> {
                    Statistics.label("commits").collect(a.body().decision().status() + " "
                            + a.body().decision().reason() + (a.replayed() ? " (replay)" : ""));
                    assertEquals(a.replayed(), earlier != null, "only a retry of the commit is a replay");
                    BigDecimal allocated = a.body().decision().allocations().stream().map(Allocation::amount)
                            .reduce(BigDecimal.ZERO, BigDecimal::add);
                    assertEquals(0, allocated.compareTo(a.body().decision().charged()), "a commit's allocations");
                    if (!a.replayed()) {
                        settled.put(h.holdId(), c);
                        firstDecisions.put(h.holdId(), a.body().decision());
                        decidedAt.put(h.holdId(), c.occurredAt());
                    }
                });
            } else {
                Commands.Release r = (Commands.Release) cmd;
                attempt(allowed, () -> services.holds().release(r)).ifPresent(a -> {
                    assertEquals(a.replayed(), earlier != null, "only a retry of the release is a replay");
                    Statistics.label("commits").collect("RELEASED" + (a.replayed() ? " (replay)" : ""));
                    settled.put(h.holdId(), r);
                });
            }
        }

        private void voidLot(VoidCall v) {
            if (v.retry() && !acceptedVoids.isEmpty()) {
                Commands.VoidLot first = acceptedVoids.get(v.pick() % acceptedVoids.size());
                var a = services.corrections().voidLot(first);
                assertTrue(a.replayed(), "a void retried with its body is a replay");
                assertEquals(voidAnswers.get(first), a.body(), "a replayed void answers the first void");
                return;
            }
            if (acceptedLots.isEmpty()) {
                return;
            }
            Record lot = acceptedLots.get(v.pick() % acceptedLots.size());
            String account = lot instanceof Commands.StartCycle c ? c.accountId() : ((Commands.GrantAddon) lot).accountId();
            String lotId = lot instanceof Commands.StartCycle c ? c.lotId() : ((Commands.GrantAddon) lot).lotId();
            Instant start = lot instanceof Commands.StartCycle c ? c.start() : ((Commands.GrantAddon) lot).effectiveAt();
            var cmd = new Commands.VoidLot(account, lotId, start.plus(v.afterMinutes(), ChronoUnit.MINUTES),
                    "void " + (nextId++));
            attempt(Set.of(), () -> services.corrections().voidLot(cmd)).ifPresent(a -> {
                assertTrue(!a.replayed(), "a new void is not a replay");
                Statistics.label("voids").collect(a.body().changed() ? "changed" : "changed nothing");
                assertTrue(a.body().changed() || a.body().voided().signum() == 0, "a void that changed nothing "
                        + "voids nothing: " + a.body());
                assertTrue(!a.body().lot().expiresAt().isAfter(cmd.at()) , "from the void on the lot is expired");
                acceptedVoids.add(cmd);
                voidAnswers.put(cmd, a.body());
            });
        }

        private void reverse(ReverseCall r) {
            if (firstDecisions.isEmpty()) {
                return;
            }
            List<String> ids = new ArrayList<>(new java.util.TreeSet<>(firstDecisions.keySet()));
            String id = ids.get(r.pick() % ids.size());
            UsageDecision d = firstDecisions.get(id);
            Commands.Reversal earlier = reversals.get(id);
            Commands.Reversal cmd = r.retry() && earlier != null
                    ? (r.sameBody() ? earlier : new Commands.Reversal(id, earlier.at(), earlier.reason() + " again"))
                    : new Commands.Reversal(id, decidedAt.get(id).plus(r.afterMinutes(), ChronoUnit.MINUTES),
                            "reversal " + (nextId++));
            boolean mayRefuse = earlier != null || d.status() != dev.creditspolicy.policy.facts.Status.CHARGED
                    || r.afterMinutes() < 0;
            Set<String> allowed = mayRefuse ? Set.of(Problem.NOT_REVERSIBLE, Problem.VALIDATION_FAILED,
                    Problem.IDEMPOTENCY_CONFLICT) : Set.of();
            attempt(allowed, () -> services.corrections().reverse(cmd)).ifPresent(a -> {
                Statistics.label("reversals").collect(a.replayed() ? "replay" : "reversed");
                assertEquals(d.status(), dev.creditspolicy.policy.facts.Status.CHARGED, "only a charge is reversed");
                assertEquals(0, a.body().reversed().add(a.body().forfeited()).compareTo(d.charged()),
                        "a reversal gives back (or forfeits) the whole charge: " + a.body());
                if (a.replayed()) {
                    assertEquals(reversalAnswers.get(id), a.body(), "a replayed reversal answers the first");
                } else {
                    assertTrue(earlier == null, "a decision is reversed at most once");
                    reversals.put(id, cmd);
                    reversalAnswers.put(id, a.body());
                }
            });
        }

        private static String describe(UsageDecision d) {
            return switch (d.status()) {
                case CHARGED -> d.allocations().size() > 1 ? "CHARGED to several lots" : "CHARGED to one lot or none";
                case EXEMPT, INSUFFICIENT -> d.status() + " " + d.reason();
            };
        }

        /** One decision, checked on its own: the allocations pay exactly what is charged. */
        private void checkDecision(Commands.Usage cmd, UsageDecision d) {
            BigDecimal allocated = d.allocations().stream().map(Allocation::amount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(0, allocated.compareTo(d.charged()), "allocations pay the charge: " + d);
            switch (d.status()) {
                case CHARGED -> {
                    assertEquals(0, d.charged().compareTo(cmd.credits()), "a charged call pays its cost: " + d);
                    assertEquals(0, d.shortfall().signum(), d.toString());
                }
                case EXEMPT -> assertEquals(0, d.charged().signum(), d.toString());
                case INSUFFICIENT -> {
                    assertEquals(0, d.charged().signum(), d.toString());
                    assertEquals(1, d.shortfall().signum(), d.toString());
                    assertEquals(0, d.balanceAfter().add(d.shortfall()).compareTo(cmd.credits()),
                            "the shortfall is what the eligible balance lacks: " + d);
                }
            }
        }

        /** Runs a request; a refusal must have one of the allowed slugs and must leave the database untouched. */
        private <T> Optional<T> attempt(Set<String> allowedRefusals, Supplier<T> request) {
            String before = LedgerTables.snapshot(reader);
            try {
                return Optional.of(request.get());
            } catch (Problem p) {
                Statistics.label("refusals").collect(p.slug());
                assertTrue(allowedRefusals.contains(p.slug()), () -> "unexpected refusal " + p.slug() + ": "
                        + p.getMessage());
                assertEquals(before, LedgerTables.snapshot(reader), "a refused request changed the ledger");
                return Optional.empty();
            }
        }

        private void mustRefuse(String slug, Supplier<?> request) {
            assertTrue(attempt(Set.of(slug), request).isEmpty(), "expected a refusal " + slug);
        }

        private long count(String table) {
            return reader.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one();
        }
    }

    // ---- the invariants, in SQL over the store

    static void checkInvariants(Jdbi jdbi) {
        assertNone(jdbi, "lots outside 0 <= remaining <= amount",
                "SELECT lot_id FROM lots WHERE remaining < 0 OR remaining > amount");
        assertNone(jdbi, "lots whose amount - remaining differs from their allocations minus what reversals gave back",
                "SELECT l.lot_id FROM lots l WHERE l.amount - l.remaining <> "
                        + "(SELECT COALESCE(SUM(a.amount), 0) FROM allocations a WHERE a.lot_id = l.lot_id) - "
                        + "(SELECT COALESCE(SUM(r.amount), 0) FROM reversal_allocations r WHERE r.lot_id = l.lot_id)");
        assertNone(jdbi, "request ids with more than one decision",
                "SELECT request_id FROM usage_decisions GROUP BY request_id HAVING COUNT(*) > 1");
        BigDecimal charged = jdbi.withHandle(h -> h.createQuery(
                "SELECT COALESCE(SUM(charged), 0) FROM usage_decisions WHERE status = 'CHARGED'")
                .mapTo(BigDecimal.class).one());
        BigDecimal allocated = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(amount), 0) FROM allocations")
                .mapTo(BigDecimal.class).one());
        assertEquals(0, charged.compareTo(allocated), "charged " + charged + " but allocated " + allocated);
        assertNone(jdbi, "decisions whose allocations differ from what they charged",
                "SELECT d.request_id FROM usage_decisions d LEFT JOIN allocations a ON a.request_id = d.request_id "
                        + "GROUP BY d.request_id, d.charged HAVING d.charged <> COALESCE(SUM(a.amount), 0)");
        assertNone(jdbi, "EXEMPT or INSUFFICIENT decisions that charged",
                "SELECT request_id FROM usage_decisions WHERE status <> 'CHARGED' AND charged <> 0");
        assertNone(jdbi, "allocations on a lot of another account or realm",
                "SELECT a.request_id FROM allocations a JOIN usage_decisions d ON d.request_id = a.request_id "
                        + "JOIN lots l ON l.lot_id = a.lot_id WHERE l.account_id <> d.account_id OR l.realm <> d.realm");
        // a commit's allocation on a lot its hold reserved was in effect at the hold (it stays valid at commit)
        assertNone(jdbi, "allocations on a lot that was not in effect at the call's occurredAt",
                "SELECT a.request_id FROM allocations a JOIN usage_decisions d ON d.request_id = a.request_id "
                        + "JOIN lots l ON l.lot_id = a.lot_id "
                        + "WHERE (d.occurred_at < l.effective_at OR d.occurred_at >= l.initial_expires_at) "
                        + "AND NOT EXISTS (SELECT 1 FROM hold_allocations ha WHERE ha.hold_id = d.request_id "
                        + "AND ha.lot_id = a.lot_id)");
        checkHoldInvariants(jdbi);
        checkCorrectionInvariants(jdbi);
        assertNone(jdbi, "lots without exactly their acquisition in the credits log",
                "SELECT l.lot_id FROM lots l LEFT JOIN credits_log c ON c.lot_id = l.lot_id "
                        + "GROUP BY l.lot_id, l.amount, l.initial_expires_at "
                        + "HAVING COUNT(c.entry_id) <> 1 OR MAX(c.amount) <> l.amount "
                        + "OR MAX(c.initial_expires_at) <> l.initial_expires_at");
        assertNone(jdbi, "lots whose expiry was lengthened",
                "SELECT lot_id FROM lots WHERE expires_at > initial_expires_at");
    }

    /** SPEC section 6: what open holds reserve never exceeds a lot's remaining; a hold is settled at most once. */
    static void checkHoldInvariants(Jdbi jdbi) {
        assertNone(jdbi, "lots whose open holds reserve more than remains",
                "SELECT l.lot_id FROM lots l JOIN hold_allocations a ON a.lot_id = l.lot_id "
                        + "JOIN holds h ON h.hold_id = a.hold_id AND h.state = 'OPEN' "
                        + "GROUP BY l.lot_id, l.remaining HAVING l.remaining - SUM(a.amount) < 0");
        assertNone(jdbi, "holds whose allocations differ from what they hold",
                "SELECT h.hold_id FROM holds h LEFT JOIN hold_allocations a ON a.hold_id = h.hold_id "
                        + "GROUP BY h.hold_id, h.held HAVING h.held <> COALESCE(SUM(a.amount), 0)");
        assertNone(jdbi, "INSUFFICIENT holds that hold something, or HELD holds that hold less than asked",
                "SELECT hold_id FROM holds WHERE (status = 'INSUFFICIENT' AND (held <> 0 OR state <> 'INSUFFICIENT')) "
                        + "OR (status = 'HELD' AND held <> credits AND reason = 'HELD')");
        assertNone(jdbi, "committed holds without exactly their decision, or other holds with one",
                "SELECT h.hold_id FROM holds h LEFT JOIN usage_decisions d ON d.request_id = h.hold_id "
                        + "WHERE (h.state = 'COMMITTED') <> (d.request_id IS NOT NULL)");
        assertNone(jdbi, "settled holds without a settlement instant, or settled before they were made",
                "SELECT hold_id FROM holds WHERE state IN ('COMMITTED', 'RELEASED', 'EXPIRED') "
                        + "AND (settled_at IS NULL OR settled_at < occurred_at OR released IS NULL "
                        + "OR released < 0 OR released > held)");
        assertNone(jdbi, "commits or releases at or after their hold's expiry",
                "SELECT hold_id FROM holds WHERE state IN ('COMMITTED', 'RELEASED') AND settled_at >= expires_at");
        assertNone(jdbi, "charged commits whose charge and shortfall do not add up to their cost",
                "SELECT h.hold_id FROM holds h JOIN usage_decisions d ON d.request_id = h.hold_id "
                        + "WHERE d.status = 'CHARGED' AND d.charged + d.shortfall <> d.credits");
        assertNone(jdbi, "hold events not one per hold and settlement",
                "SELECT h.hold_id FROM holds h WHERE (SELECT COUNT(*) FROM account_events e WHERE e.ref = h.hold_id "
                        + "AND e.kind = 'HOLD') <> 1 OR (SELECT COUNT(*) FROM account_events e WHERE e.ref = h.hold_id "
                        + "AND e.kind IN ('HOLD_COMMIT', 'HOLD_RELEASE')) > 1");
    }

    /** SPEC section 7: a reversal gives back at most what its charge took, once; a void only shortens. */
    static void checkCorrectionInvariants(Jdbi jdbi) {
        assertNone(jdbi, "reversals of decisions that were not charged, or whose amounts do not add up",
                "SELECT r.request_id FROM usage_reversals r JOIN usage_decisions d ON d.request_id = r.request_id "
                        + "WHERE d.status <> 'CHARGED' OR r.reversed + r.forfeited <> d.charged "
                        + "OR r.reversed <> (SELECT COALESCE(SUM(a.amount), 0) FROM reversal_allocations a "
                        + "WHERE a.request_id = r.request_id) OR r.reversed_at < d.occurred_at");
        assertNone(jdbi, "reversal allocations beyond what the decision drew from that lot",
                "SELECT r.request_id FROM reversal_allocations r WHERE r.amount > (SELECT COALESCE(SUM(a.amount), 0) "
                        + "FROM allocations a WHERE a.request_id = r.request_id AND a.lot_id = r.lot_id)");
        assertNone(jdbi, "reversal events not one per reversal",
                "SELECT r.request_id FROM usage_reversals r WHERE (SELECT COUNT(*) FROM account_events e "
                        + "WHERE e.ref = r.request_id AND e.kind = 'REVERSAL') <> 1");
        assertNone(jdbi, "voided lots that can still be drawn on after their void",
                "SELECT v.lot_id FROM lot_voids v JOIN lots l ON l.lot_id = v.lot_id "
                        + "WHERE v.new_expires_at IS NOT NULL AND l.expires_at > v.voided_at");
        assertNone(jdbi, "voids that voided something without changing the expiry, or more than remained",
                "SELECT lot_id FROM lot_voids WHERE (new_expires_at IS NULL AND voided <> 0) "
                        + "OR (new_expires_at IS NOT NULL AND voided <> remaining)");
    }

    private static void assertNone(Jdbi jdbi, String what, String sql) {
        List<String> found = jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
        assertTrue(found.isEmpty(), () -> what + ": " + found);
    }

    // ---- generators (uniform, not jqwik's default bias towards small values: calls must land inside lots' lives)

    @Provide
    Arbitrary<Script> scripts() {
        Arbitrary<Action> acquisition = Arbitraries.oneOf(cycles(), grants());
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(3, cycles()),
                Tuple.of(3, grants()),
                Tuple.of(10, uses()),
                Tuple.of(3, retryUsages()),
                Tuple.of(2, retryLots()),
                Tuple.of(2, planChanges()),
                Tuple.of(5, holdCalls()),
                Tuple.of(8, settles()),
                Tuple.of(2, voidCalls()),
                Tuple.of(3, reverseCalls()));
        // mostly personal accounts: an enterprise account refuses add-ons and shares with two products only
        Arbitrary<Plan> plan = Arbitraries.frequency(Tuple.of(3, Plan.PERSONAL_COMMUNITY),
                Tuple.of(3, Plan.PERSONAL_PRO), Tuple.of(1, Plan.ENTERPRISE_TEAMS), Tuple.of(1, Plan.ENTERPRISE_VPC));
        return Combinators.combine(
                plan.list().ofSize(ACCOUNTS.size()),
                Arbitraries.of(Realm.class).list().ofSize(ACCOUNTS.size()),
                acquisition.list().ofMinSize(4).ofMaxSize(10).withSizeDistribution(RandomDistribution.uniform()),
                action.list().ofMinSize(10).ofMaxSize(30).withSizeDistribution(RandomDistribution.uniform()))
                .as((plans, realms, first, then) -> {
                    List<Action> actions = new ArrayList<>(first);
                    actions.addAll(then);
                    return new Script(plans, realms, actions);
                });
    }

    private static Arbitrary<Integer> between(int min, int max) {
        return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
    }

    private static Arbitrary<Integer> account() {
        return between(0, ACCOUNTS.size() - 1);
    }

    /** An instant in the window, often a midnight so that expiries tie. */
    private static Arbitrary<Integer> minute() {
        return Arbitraries.oneOf(between(0, WINDOW_DAYS - 1).map(d -> d * 1440), between(0, WINDOW_DAYS * 1440 - 1));
    }

    /** An amount with up to 4 decimals, between {@code min} and {@code max} credits. */
    private static Arbitrary<BigDecimal> amount(int min, int max) {
        return Arbitraries.oneOf(
                between(min, max).map(i -> Money.of(BigDecimal.valueOf(i))),
                Arbitraries.longs().between(Math.max(1, min * 10_000L), max * 10_000L)
                        .withDistribution(RandomDistribution.uniform()).map(l -> Money.of(BigDecimal.valueOf(l, 4))));
    }

    private static Arbitrary<Action> cycles() {
        return Combinators.combine(account(), minute(), between(25, 45), amount(1, 120)).as(Cycle::new);
    }

    private static Arbitrary<Action> grants() {
        return Combinators.combine(account(), Arbitraries.of(LotSource.PURCHASE, LotSource.PROMOTION),
                amount(1, 80), minute(), between(60, 90 * 1440),
                Arbitraries.of(Product.class).injectNull(0.6)).as(Grant::new);
    }

    private static Arbitrary<Action> uses() {
        return Combinators.combine(account(),
                Arbitraries.frequency(Tuple.of(6, RealmNamed.NONE), Tuple.of(2, RealmNamed.OWN),
                        Tuple.of(1, RealmNamed.OTHER)),
                Arbitraries.of(Product.class), Arbitraries.of(Feature.class), Arbitraries.of(MODELS),
                Arbitraries.frequency(Tuple.of(5, Outcome.SUCCEEDED), Tuple.of(1, Outcome.FAILED)),
                Arbitraries.oneOf(amount(0, 10), amount(0, 80)), minute()).as(Use::new);
    }

    private static Arbitrary<Action> retryUsages() {
        return Combinators.combine(between(0, 1000), Arbitraries.of(true, false), amount(0, 150))
                .as(RetryUsage::new);
    }

    private static Arbitrary<Action> retryLots() {
        return Combinators.combine(between(0, 1000), Arbitraries.of(true, false), amount(1, 200))
                .as(RetryLot::new);
    }

    private static Arbitrary<Action> holdCalls() {
        return Combinators.combine(account(), Arbitraries.of(Product.class), amount(0, 25), minute(), between(1, 120))
                .as(HoldCall::new);
    }

    private static Arbitrary<Action> settles() {
        return Combinators.combine(between(0, 1000), Arbitraries.of(true, false),
                Arbitraries.frequency(Tuple.of(4, Outcome.SUCCEEDED), Tuple.of(1, Outcome.FAILED)), amount(0, 90),
                Arbitraries.frequencyOf(Tuple.of(1, between(-30, -1)), Tuple.of(8, between(0, 60)),
                        Tuple.of(2, between(60, 700))),
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false))).as(Settle::new);
    }

    private static Arbitrary<Action> voidCalls() {
        return Combinators.combine(between(0, 1000), Arbitraries.frequencyOf(Tuple.of(1, between(-60, 0)),
                Tuple.of(6, between(0, 40 * 1440))), Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false)))
                .as(VoidCall::new);
    }

    private static Arbitrary<Action> reverseCalls() {
        return Combinators.combine(between(0, 1000), Arbitraries.frequencyOf(Tuple.of(1, between(-30, -1)),
                        Tuple.of(6, between(0, 60 * 1440))), Arbitraries.frequency(Tuple.of(1, true), Tuple.of(2, false)),
                Arbitraries.of(true, false)).as(ReverseCall::new);
    }

    private static Arbitrary<Action> planChanges() {
        return Combinators.combine(account(), Arbitraries.of(Plan.class), Arbitraries.of(PlanChangeKind.class),
                minute()).as(ChangePlan::new);
    }

    // ---- helpers

    private static Instant minute(int m) {
        return WINDOW_START.plus(m, ChronoUnit.MINUTES);
    }

    /** {@code candidate}, or (when it equals {@code original}) one ten-thousandth more: always another body. */
    private static BigDecimal differentFrom(BigDecimal original, BigDecimal candidate) {
        return candidate.compareTo(original) == 0 ? Money.of(candidate.add(new BigDecimal("0.0001"))) : candidate;
    }
}
