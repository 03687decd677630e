package dev.creditspolicy.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The forecast alone: lots burnt soonest expiry first at the burn rate; what expires first is left unused. */
class RunwayTest {
    private static final Instant AT = Instant.parse("2026-07-10T00:00:00Z");

    private static Runway.Available lot(String id, String remaining, int daysToExpiry) {
        return new Runway.Available(id, new BigDecimal(remaining).setScale(4), AT.plusSeconds(daysToExpiry * 86_400L));
    }

    @Test
    @DisplayName("At 10 a day, a 30-credit lot expiring in 2 days leaves 10 unused; the next 50 last 5 more days")
    void burnsInExpiryOrder() {
        Runway r = Runway.of(AT, new BigDecimal("10.0000"), List.of(lot("later", "50", 30), lot("soon", "30", 2)));
        assertThat(r.expiringUnused()).containsExactly(new Runway.Unused("soon", AT.plusSeconds(2 * 86_400L),
                new BigDecimal("10.0000")));
        assertThat(r.depletesAt()).isEqualTo(AT.plusSeconds(7 * 86_400L));
        assertThat(r.unusedOf("later")).isEqualByComparingTo("0");
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
