package dev.creditspolicy.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/** Every event type raised by the real services and rules, in the change's transaction, once. */
class EventsServiceTest {
    private static final Instant JUL = Instant.parse("2026-06-30T16:00:00Z");
    private static final Instant DAY = JUL.plusSeconds(86_400);

    private final CreditsServices s = CreditsServices.of(new Store(TestDatabases.fresh("events")),
            TestServices.rules(), Clock.fixed(TestServices.NOW, ZoneOffset.UTC), new SimpleMeterRegistry());
    private final EventLog log = new EventLog(s.store());

    private Instant day(int n) {
        return JUL.plusSeconds(n * 86_400L);
    }

    private void usage(String id, String credits, Instant at) {
        s.usage().record(new Commands.Usage(id, "alice", null, Product.CLI, Feature.QUEST_AGENT, "m",
                Outcome.SUCCEEDED, new BigDecimal(credits), at));
    }

    private List<String> events() {
        List<String> out = new java.util.ArrayList<>(log.ofAccount("alice", new PageRequest(1000, null)).items().stream()
                .map(e -> e.type() + " " + e.subject()).toList());
        java.util.Collections.reverse(out);
        return out;
    }

    private void start() {
        s.accounts().create(new Commands.CreateAccount("alice", Realm.QODER, Plan.PERSONAL_PRO, JUL));
        s.accounts().startCycle(new Commands.StartCycle("alice", Plan.PERSONAL_PRO, JUL, day(31),
                new BigDecimal("100"), "plan-jul"));
    }

    @Test
    @DisplayName("balance.low once per crossing, balance.depleted at zero, balance.recovered after a reversal; "
            + "a retried request raises nothing new")
    void balanceEvents() {
        start();
        usage("r1", "70", day(1));
        assertThat(events()).isEmpty();
        usage("r2", "15", day(2));
        usage("r2", "15", day(2));
        usage("r3", "5", day(3));
        assertThat(events()).containsExactly("balance.low PLAN");
        usage("r4", "10", day(4));
        assertThat(events()).containsExactly("balance.low PLAN", "balance.depleted TOTAL");
        s.corrections().reverse(new Commands.Reversal("r1", day(5), "duplicate"));
        assertThat(events()).containsExactly("balance.low PLAN", "balance.depleted TOTAL", "balance.recovered PLAN",
                "usage.reversed r1");
        List<StoredEvent> all = log.ofAccount("alice", new PageRequest(1000, null)).items();
        StoredEvent low = all.get(all.size() - 1);
        assertThat(low.occurredAt()).as("the change's event time, not the server's clock").isEqualTo(day(2));
        assertThat(low.data()).isEqualTo("{\"credits\":\"PLAN\",\"before\":30.0000,\"available\":15.0000,"
                + "\"threshold\":20.0000}");
        assertThat(low.realm()).isEqualTo(Realm.QODER);
    }

    @Test
    @DisplayName("credits.expiring once per lot with the forecast unused; an upgrade shortens (lot.expiry-shortened); "
            + "a void (lot.voided)")
    void lotEvents() {
        start();
        s.accounts().grantAddon(new Commands.GrantAddon("alice", "pack-1", LotSource.PURCHASE, new BigDecimal("50"),
                JUL, day(10), "pack", null));
        usage("r1", "7", day(1));
        assertThat(events()).isEmpty();
        usage("r2", "7", day(4));
        usage("r3", "7", day(5));
        assertThat(events()).containsExactly("credits.expiring pack-1@" + day(10));
        StoredEvent expiring = log.ofAccount("alice", new PageRequest(1, null)).items().get(0);
        // raised by r2 (day 4, 6 days before pack-1's expiry; soonest expiry first, r1 and r2 drew on it: 36 left);
        // burn 14 over the 7 days up to day 4 = 2/day; 6 days burn 12 of its 36: 24 forecast unused
        assertThat(expiring.occurredAt()).isEqualTo(day(4));
        assertThat(expiring.data()).contains("\"amount\":36.0000", "\"forecastUnused\":24.0000");
        s.accounts().changePlan(new Commands.ChangePlan("alice", Plan.ENTERPRISE_TEAMS, day(6), PlanChangeKind.UPGRADE));
        assertThat(events()).contains("lot.expiry-shortened plan-jul");
        s.corrections().voidLot(new Commands.VoidLot("alice", "pack-1", day(7), "refund"));
        assertThat(events()).contains("lot.voided pack-1", "lot.expiry-shortened pack-1");
    }

    @Test
    @DisplayName("a hold left to expire is announced by the next change that finds it expired")
    void holdExpired() {
        start();
        s.holds().hold(new Commands.Hold("h1", "alice", null, Product.CLI, Feature.QUEST_AGENT, "m",
                new BigDecimal("10"), day(1), 60));
        usage("r1", "1", day(2));
        assertThat(events()).containsExactly("hold.expired h1");
    }
}
