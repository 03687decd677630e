package dev.creditspolicy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.HoldSettlement;
import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.service.Commands.Tokens;
import dev.creditspolicy.service.Decider.Call;
import dev.creditspolicy.service.Decider.Decided;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.support.TestServices;

/**
 * The decision pipeline's pure step: snapshots built here, in memory, with no database and no transaction; the
 * repository's real rules decide. What the services add around it (loading, idempotency, storing) is tested with them.
 */
@DisplayName("Decider: the rules' decision over a loaded snapshot, no I/O")
class DeciderTest {
    private static final Instant JUL_01 = Instant.parse("2026-06-30T16:00:00Z");
    private static final Instant JUL_02 = Instant.parse("2026-07-01T16:00:00Z");
    private static final Instant JUL_20 = Instant.parse("2026-07-19T16:00:00Z");
    private static final Instant AUG_01 = Instant.parse("2026-07-31T16:00:00Z");
    private static final Instant CALL_AT = Instant.parse("2026-07-03T02:00:00Z");
    private static final AccountRow ALICE = new AccountRow("alice", Realm.QODER_CN, JUL_01, "");

    private final RuleSet rules = TestServices.rules().current();
    private final Decider decider = new Decider(rules);

    private static LotRow lot(String id, LotSource source, String remaining, Instant from, Instant to) {
        return new LotRow(id, "alice", Realm.QODER_CN, source, source == LotSource.PLAN ? Plan.PERSONAL_PRO : null,
                null, "test", new BigDecimal(remaining), new BigDecimal(remaining), from, to, to, "");
    }

    private static final List<LotRow> LOTS = List.of(lot("plan-jul", LotSource.PLAN, "100", JUL_01, AUG_01),
            lot("pack-1", LotSource.PURCHASE, "50", JUL_02, JUL_20));

    private static Snapshot snapshot(List<LotRow> lots, List<Allocation> held) {
        return new Snapshot(ALICE, CALL_AT, Plan.PERSONAL_PRO, lots, held, List.of());
    }

    private static Call call(String credits) {
        return new Call("r1", Product.CLI, Feature.QUEST_AGENT, "qwen3-coder", Outcome.SUCCEEDED,
                new BigDecimal(credits), null);
    }

    @Test
    @DisplayName("a charge draws the soonest-expiring lot first, whatever order the snapshot lists its lots in")
    void chargesInTheRulesOrder() {
        List<Allocation> expected = List.of(new Allocation("pack-1", LotType.ADDON, Money.of(new BigDecimal("50"))),
                new Allocation("plan-jul", LotType.PLAN, Money.of(new BigDecimal("20.5"))));
        Random random = new Random(25);
        for (int i = 0; i < 4; i++) {
            List<LotRow> shuffled = new ArrayList<>(LOTS);
            Collections.shuffle(shuffled, random);
            Decided d = decider.decide(snapshot(shuffled, List.of()), call("70.5"));
            assertEquals(Status.CHARGED, d.decision().status());
            assertEquals(expected, d.decision().allocations());
            assertEquals(Money.of(new BigDecimal("79.5")), d.decision().balanceAfter());
            assertEquals(Money.of(new BigDecimal("70.5")), d.cost());
            assertNull(d.explanation(), "explained only when asked");
        }
    }

    @Test
    @DisplayName("more than the lots hold: nothing is drawn and the shortfall is stated")
    void shortfall() {
        Decided d = decider.decide(snapshot(LOTS, List.of()), call("160"));
        assertEquals(Status.INSUFFICIENT, d.decision().status());
        assertEquals(Reason.INSUFFICIENT_BALANCE, d.decision().reason());
        assertEquals(List.of(), d.decision().allocations());
        assertEquals(Money.of(BigDecimal.TEN), d.decision().shortfall());
    }

    @Test
    @DisplayName("explain mode gives the same decision and says of every lot why it was or was not drawn")
    void explains() {
        Decided explained = decider.explain(snapshot(LOTS, List.of()), call("30"));
        assertEquals(decider.decide(snapshot(LOTS, List.of()), call("30")).decision(), explained.decision());
        assertEquals(2, explained.explanation().size());
    }

    @Test
    @DisplayName("a call in tokens of a model the rules do not price is refused: unknown-model")
    void unpricedModel() {
        Call tokens = new Call("r1", Product.CLI, Feature.QUEST_AGENT, "no-such-model", Outcome.SUCCEEDED, null,
                new Tokens(1000, 0, 10));
        Problem p = assertThrows(Problem.class, () -> decider.decide(snapshot(LOTS, List.of()), tokens));
        assertEquals("unknown-model", p.slug());
    }

    @Test
    @DisplayName("a commit pays from its hold's reservation first; the excess is drawn from the lots by holds.drl")
    void commitDrawsTheExcess() {
        List<Allocation> held = List.of(new Allocation("plan-jul", LotType.PLAN, Money.of(BigDecimal.TEN)));
        HoldSettlement.Settled s = decider.commit(snapshot(LOTS, held), call("15"));
        assertEquals(Status.CHARGED, s.decision().status());
        assertEquals(List.of(new Allocation("plan-jul", LotType.PLAN, Money.of(BigDecimal.TEN)),
                new Allocation("pack-1", LotType.ADDON, Money.of(new BigDecimal("5")))), s.decision().allocations());
        assertEquals(Money.ZERO, s.released());
        assertTrue(s.decision().firedRules().contains(
                "The excess over a hold is drawn from the account's unheld credits under the normal rules"));

        HoldSettlement.Settled under = decider.commit(snapshot(LOTS, held), call("4"));
        assertEquals(Money.of(new BigDecimal("6")), under.released(), "what the call did not use goes back");
    }
}
