package dev.creditspolicy.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Quarter hours: which zones' days the usage report may fold from quarter hours")
class QuarterHoursTest {
    private static final Instant Y2026 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant Y9999 = Instant.parse("9999-01-01T00:00:00Z");

    @Test
    @DisplayName("today's zones with whole, half and quarter hours and daylight saving are whole quarter hours")
    void todaysZones() {
        for (String zone : new String[] {"UTC", "Asia/Shanghai", "Asia/Kolkata", "Asia/Kathmandu",
                "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "Europe/Berlin"}) {
            assertTrue(QuarterHours.whole(ZoneId.of(zone), Y2026, Y9999), zone);
        }
    }

    @Test
    @DisplayName("an odd fixed offset, and Liberia while its offset was -0:44:30 (until 1972), are not")
    void oddOffsets() {
        assertFalse(QuarterHours.whole(ZoneOffset.ofTotalSeconds(-(44 * 60 + 30)), Y2026, Y9999));
        assertFalse(QuarterHours.whole(ZoneId.of("Africa/Monrovia"), Instant.EPOCH, Y2026));
        assertTrue(QuarterHours.whole(ZoneId.of("Africa/Monrovia"), Y2026, Y9999));
    }
}
