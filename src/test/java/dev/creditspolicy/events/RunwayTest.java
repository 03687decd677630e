package dev.creditspolicy.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.support.TestServices;

/**
 * The forecast: lots burnt in the order the rules draw them at the burn rate, what expires meanwhile left unused;
 * the order is priority.drl's (soonest expiry, plan before add-on at equal expiry), asked of the rules.
 */
class RunwayTest {
    private static final Instant AT = Instant.parse("2026-07-10T00:00:00Z");

    private static Runway.Available lot(String id, String remaining, int daysToExpiry) {
        return new Runway.Available(id, new BigDecimal(remaining).setScale(4), AT.plusSeconds(daysToExpiry * 86_400L));
    }

    @Test
    @DisplayName("At 10 a day, a 30-credit lot expiring in 2 days leaves 10 unused; the next 50 last 5 more days")
    void burnsInTheOrderGiven() {
        Runway r = Runway.of(AT, new BigDecimal("10.0000"), List.of(lot("soon", "30", 2), lot("later", "50", 30)));
        assertThat(r.expiringUnused()).containsExactly(new Runway.Unused("soon", AT.plusSeconds(2 * 86_400L),
                new BigDecimal("10.0000")));
        assertThat(r.depletesAt()).isEqualTo(AT.plusSeconds(7 * 86_400L));
        assertThat(r.unusedOf("later")).isEqualByComparingTo("0");
    }

    @Test
    @DisplayName("Drawn later-expiry first (another priority.drl), the soon lot expires whole while the other burns")
    void anotherOrderAnotherForecast() {
        Runway r = Runway.of(AT, new BigDecimal("10.0000"), List.of(lot("later", "50", 30), lot("soon", "30", 2)));
        assertThat(r.expiringUnused()).containsExactly(new Runway.Unused("soon", AT.plusSeconds(2 * 86_400L),
                new BigDecimal("30.0000")));
        assertThat(r.depletesAt()).as("20 burnt from 'later' in 2 days, its 30 left in 3 more")
                .isEqualTo(AT.plusSeconds(5 * 86_400L));
    }

    @Test
    @DisplayName("The repository's rules order the forecast: at equal expiry the plan lot is burnt before the pack, "
            + "whatever their ids")
    void theRulesOrderTheForecast() {
        Instant expiry = AT.plusSeconds(2 * 86_400L);
        List<LotRow> lots = List.of(row("a-pack", LotSource.PURCHASE, null, expiry),
                row("z-plan", LotSource.PLAN, Plan.PERSONAL_PRO, expiry));
        List<Runway.Available> inOrder = Forecasts.inDrawOrder(TestServices.rules().current(), "alice", Realm.QODER,
                Plan.PERSONAL_PRO, AT, lots);
        assertThat(inOrder).extracting(Runway.Available::lotId).containsExactly("z-plan", "a-pack");
        Runway r = Runway.of(AT, new BigDecimal("10.0000"), inOrder);
        assertThat(r.unusedOf("z-plan")).as("20 of the plan's 30 burnt before both expire").isEqualByComparingTo("10");
        assertThat(r.unusedOf("a-pack")).isEqualByComparingTo("30");
    }

    private static LotRow row(String id, LotSource source, Plan plan, Instant expiresAt) {
        BigDecimal thirty = new BigDecimal("30.0000");
        return new LotRow(id, "alice", Realm.QODER, source, plan, null, "test", thirty, thirty,
                AT.minusSeconds(86_400), expiresAt, expiresAt, null);
    }

    @Test
    @DisplayName("No charges, no forecast; a tiny rate over a huge lot leaves it almost whole, without overflow")
    void edges() {
        assertThat(Runway.of(AT, new BigDecimal("0.0000"), List.of(lot("a", "5", 1)))).isNull();
        Runway r = Runway.of(AT, new BigDecimal("0.0001"), List.of(lot("big", "999999999999999", 20)));
        assertThat(r.expiringUnused()).hasSize(1);
        assertThat(r.expiringUnused().get(0).amount()).isEqualByComparingTo("999999999999998.998");
        assertThat(r.depletesAt()).isEqualTo(AT.plusSeconds(20 * 86_400L));
    }
}
