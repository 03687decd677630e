package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lot with credits left after a change, {@code hoursLeft} hours of event time before its expiry, with what the
 * account's burn rate forecasts it to leave unused ({@code forecastUnused}), and whether a {@code credits.expiring}
 * was already raised for it at this expiry ({@code announced}).
 */
public record ExpiringLot(String lotId, LotType type, BigDecimal remaining, Instant expiresAt, long hoursLeft,
                          BigDecimal forecastUnused, boolean announced) implements EventSubject {

    public boolean expiresWithinDays(int days) {
        return hoursLeft >= 0 && hoursLeft < days * 24L;
    }

    @Override
    public String subject() {
        return subjectOf(lotId, expiresAt);
    }

    /** What a {@code credits.expiring} event about the lot at this expiry names as its subject. */
    public static String subjectOf(String lotId, Instant expiresAt) {
        return lotId + "@" + expiresAt;
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("lotId", lotId);
        data.put("type", type.name());
        data.put("expiresAt", expiresAt);
        data.put("amount", remaining);
        data.put("forecastUnused", forecastUnused);
        return data;
    }
}
