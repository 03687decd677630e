package dev.creditspolicy.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.CreditKind;
import dev.creditspolicy.policy.facts.ExpiringLot;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/**
 * A batch reads what alerts need once for all its changes ({@link AlertReads#warm}); each answer must equal the one
 * the same reads give a change alone, and the figures the history says (grants of the cycles in force, charges of
 * the 7 days with reversals left out, lots already announced), on H2 and PostgreSQL.
 */
class AlertReadsTest {
    private static final Instant JUL = Instant.parse("2026-06-30T16:00:00Z");

    private final CreditsServices s = CreditsServices.of(new Store(TestDatabases.fresh("alertreads")),
            TestServices.rules(), Clock.fixed(TestServices.NOW, ZoneOffset.UTC), new SimpleMeterRegistry());

    private static Instant day(double n) {
        return JUL.plusSeconds(Math.round(n * 86_400));
    }

    private void usage(String id, String account, String credits, Instant at) {
        s.usage().record(new Commands.Usage(id, account, null, Product.CLI, Feature.QUEST_AGENT, "m",
                Outcome.SUCCEEDED, new BigDecimal(credits), at));
    }

    private void history() {
        for (String a : List.of("alice", "bob")) {
            s.accounts().create(new Commands.CreateAccount(a, Realm.QODER, Plan.PERSONAL_PRO, JUL));
            s.accounts().startCycle(new Commands.StartCycle(a, Plan.PERSONAL_PRO, JUL, day(31),
                    new BigDecimal("100"), a + "-jul"));
        }
        // alice: a second cycle from day 31, and a pack expiring on day 10 (announced as expiring by r3)
        s.accounts().startCycle(new Commands.StartCycle("alice", Plan.PERSONAL_PRO, day(31), day(62),
                new BigDecimal("300"), "alice-aug"));
        s.accounts().grantAddon(new Commands.GrantAddon("alice", "pack-1", LotSource.PURCHASE, new BigDecimal("50"),
                JUL, day(10), "pack", null));
        usage("r1", "alice", "7", day(1));
        usage("r2", "alice", "5", day(2.5));
        usage("r3", "alice", "7", day(4));
        usage("r4", "alice", "3", day(9));
        usage("r5", "alice", "4", day(33));
        usage("b1", "bob", "11", day(2));
        s.corrections().reverse(new Commands.Reversal("r2", day(3), "duplicate"));
    }

    @Test
    @DisplayName("read once for a batch, each answer equals the change's own read and the history's figures")
    void warmEqualsAloneAndHistory() {
        history();
        List<Instant> instants = List.of(JUL, day(1), day(2), day(2.5), day(4), day(8), day(9.5), day(30.9), day(31),
                day(33), day(40));
        List<AlertReads.Window> windows = new ArrayList<>();
        for (String a : List.of("alice", "bob", "nobody")) {
            instants.forEach(t -> windows.add(new AlertReads.Window(a, t.minus(Runway.WINDOW), t)));
        }
        Set<String> subjects = new TreeSet<>(List.of(ExpiringLot.subjectOf("pack-1", day(10)),
                ExpiringLot.subjectOf("alice-jul", day(31)), ExpiringLot.subjectOf("alice-aug", day(62))));
        s.store().inTransaction(tx -> {
            AlertReads warm = new AlertReads(tx.handle());
            warm.warm(Set.of("alice", "bob", "nobody"), JUL, day(40), windows, Map.of("alice", subjects));
            for (AlertReads.Window w : windows) {
                AlertReads alone = new AlertReads(tx.handle());
                assertThat(warm.charged(w)).as("charged in %s", w).isEqualByComparingTo(alone.charged(w));
                assertThat(warm.cycleGrant(w.accountId(), w.to())).as("grant of %s", w)
                        .isEqualByComparingTo(alone.cycleGrant(w.accountId(), w.to()));
                assertThat(warm.balances(w.accountId())).isEqualTo(alone.balances(w.accountId()));
            }
            AlertReads alone = new AlertReads(tx.handle());
            assertThat(warm.announced("alice", subjects)).isEqualTo(alone.announced("alice", subjects))
                    .containsExactly(ExpiringLot.subjectOf("pack-1", day(10)));
            // the history's figures: r2 reversed, r5 outside every window before day 33
            assertThat(warm.charged(window("alice", day(4)))).isEqualByComparingTo("14");
            assertThat(warm.charged(window("alice", day(9.5)))).isEqualByComparingTo("10");
            assertThat(warm.charged(window("alice", day(33)))).isEqualByComparingTo("4");
            assertThat(warm.charged(window("bob", day(8)))).isEqualByComparingTo("11");
            assertThat(warm.charged(window("nobody", day(8)))).isEqualByComparingTo("0");
            assertThat(warm.cycleGrant("alice", day(30.9))).isEqualByComparingTo("100");
            assertThat(warm.cycleGrant("alice", day(31))).as("July's cycle ends as August's starts")
                    .isEqualByComparingTo("300");
            assertThat(warm.cycleGrant("bob", day(40))).isEqualByComparingTo("0");
            assertThat(warm.balances("alice")).containsKey(CreditKind.TOTAL);
            assertThat(warm.balances("nobody")).isEmpty();
            // an instant the batch did not foresee is read on its own
            assertThat(warm.cycleGrant("alice", day(50))).isEqualByComparingTo("300");
            assertThat(warm.charged(window("alice", day(35)))).isEqualByComparingTo("4");
            return null;
        });
    }

    private static AlertReads.Window window(String account, Instant at) {
        return new AlertReads.Window(account, at.minus(Runway.WINDOW), at);
    }
}
