package dev.creditspolicy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/** credits.limits.active-lots (SPEC section 9): at most N lots with credits active on an account at one instant. */
@DisplayName("an account holds at most credits.limits.active-lots active lots; expired and empty ones do not count")
class ActiveLotsLimitTest {
    private static final int LIMIT = 3;

    private static ServiceFixture fixture() {
        return new ServiceFixture(CreditsServices.of(new Store(TestDatabases.fresh("active_lots")),
                TestServices.rules(), new SimpleMeterRegistry(), new Limits(Clock.fixed(TestServices.NOW,
                        ZoneOffset.UTC), Duration.ofDays(1), LIMIT)));
    }

    @Test
    @DisplayName("a grant or cycle beyond the limit is refused too-many-lots, naming the limit; nothing is stored")
    void beyondTheLimitIsRefused() {
        ServiceFixture f = fixture();
        f.account("acme", "QODER_CN", "PERSONAL_PRO", "2026-07-01T00:00:00+08:00");
        f.cycle("acme", "plan-jul", "PERSONAL_PRO", "2026-07-01T00:00:00+08:00", "2026-08-01T00:00:00+08:00", "100");
        f.grant("acme", "pack-1", "PURCHASE", "5", "2026-07-02T00:00:00+08:00", "2026-07-20T00:00:00+08:00");
        f.grant("acme", "pack-2", "PURCHASE", "5", "2026-07-02T00:00:00+08:00", "2026-07-20T00:00:00+08:00");
        Problem p = assertThrows(Problem.class, () -> f.grant("acme", "pack-3", "PURCHASE", "5",
                "2026-07-10T00:00:00+08:00", "2026-07-25T00:00:00+08:00"));
        assertEquals(Problem.TOO_MANY_LOTS, p.slug());
        assertEquals("amount", p.field());
        assertTrue(p.getMessage().contains("credits.limits.active-lots"), p.getMessage());
        assertEquals(LIMIT, p.extra().get("activeLots"));
        Problem cycle = assertThrows(Problem.class, () -> f.cycle("acme", "plan-jul-2", "PERSONAL_PRO",
                "2026-07-15T00:00:00+08:00", "2026-08-15T00:00:00+08:00", "100"));
        assertEquals(Problem.TOO_MANY_LOTS, cycle.slug());
        assertEquals(3, f.services.reports().lots("acme", null, dev.creditspolicy.paging.PageRequest.FIRST)
                .items().size());
    }

    @Test
    @DisplayName("lots that expired before, or start after, the new lot's validity do not count")
    void onlyOverlappingLotsCount() {
        ServiceFixture f = fixture();
        f.account("acme", "QODER_CN", "PERSONAL_PRO", "2026-07-01T00:00:00+08:00");
        for (int i = 0; i < LIMIT; i++) { // three expired packs
            f.grant("acme", "old-" + i, "PURCHASE", "5", "2026-07-02T00:00:00+08:00", "2026-07-03T00:00:00+08:00");
        }
        for (int i = 0; i < LIMIT; i++) { // three current ones: allowed, the old ones have expired by then
            f.grant("acme", "new-" + i, "PURCHASE", "5", "2026-07-05T00:00:00+08:00", "2026-07-10T00:00:00+08:00");
        }
        assertThrows(Problem.class, () -> f.grant("acme", "new-3", "PURCHASE", "5", "2026-07-06T00:00:00+08:00",
                "2026-07-07T00:00:00+08:00"));
        f.grant("acme", "later", "PURCHASE", "5", "2026-07-10T00:00:00+08:00", "2026-07-12T00:00:00+08:00");
    }
}
