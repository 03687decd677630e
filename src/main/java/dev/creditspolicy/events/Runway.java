package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import dev.creditspolicy.ledger.Money;

/**
 * The forecast (SPEC section 11): at the account's burn rate, when its credits run out and which lots expire with
 * credits left. Pure: the lots available at {@code at} in the order the rules draw them (priority.drl's, {@link
 * Forecasts#inDrawOrder}) and the burn rate in, the forecast out. The simulation burns the first lot of that order
 * still there until it is empty or some lot expires; a lot that expires leaves what it still holds unused.
 */
public record Runway(BigDecimal burnPerDay, Instant depletesAt, List<Unused> expiringUnused) {
    /** The window of event time the burn rate is taken over. */
    public static final Duration WINDOW = Duration.ofDays(7);
    private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);

    /** A lot forecast to expire with {@code amount} credits left. */
    public record Unused(String lotId, Instant expiresAt, BigDecimal amount) {
    }

    /** A lot as the forecast sees it: what it holds available now, and when it expires. */
    public record Available(String lotId, BigDecimal remaining, Instant expiresAt) {
    }

    /** The burn rate per day of what was charged over the window. */
    public static BigDecimal burnPerDay(BigDecimal chargedInWindow) {
        return chargedInWindow.divide(BigDecimal.valueOf(WINDOW.toDays()), Money.SCALE, RoundingMode.HALF_UP);
    }

    /**
     * The forecast, or null when nothing was charged over the window (no rate to forecast from); {@code inOrder}: the
     * lots in the order the rules draw them.
     */
    public static Runway of(Instant at, BigDecimal burnPerDay, List<Available> inOrder) {
        if (burnPerDay.signum() <= 0) {
            return null;
        }
        BigDecimal perSecond = burnPerDay.divide(SECONDS_PER_DAY, 12, RoundingMode.HALF_UP);
        Map<String, BigDecimal> left = new LinkedHashMap<>();
        inOrder.forEach(l -> left.put(l.lotId(), l.remaining()));
        PriorityQueue<Available> byExpiry = new PriorityQueue<>(Comparator.comparing(Available::expiresAt));
        byExpiry.addAll(inOrder);
        Instant t = at;
        List<Unused> unused = new ArrayList<>();
        while (!left.isEmpty()) {
            // every lot expired by now leaves what it still holds
            while (!byExpiry.isEmpty() && !byExpiry.peek().expiresAt().isAfter(t)) {
                Available expired = byExpiry.poll();
                BigDecimal rest = left.remove(expired.lotId());
                if (rest != null) {
                    unused.add(new Unused(expired.lotId(), expired.expiresAt(),
                            rest.setScale(Money.SCALE, RoundingMode.HALF_UP).max(Money.ZERO)));
                }
            }
            if (left.isEmpty()) {
                break;
            }
            String drawn = left.keySet().iterator().next();
            Instant nextExpiry = byExpiry.peek().expiresAt();
            // what the rate burns before the next expiry, compared first: a tiny rate over a large lot would take
            // longer than any instant can say
            BigDecimal burnable = perSecond.multiply(BigDecimal.valueOf(Duration.between(t, nextExpiry).getSeconds()));
            BigDecimal remaining = left.get(drawn);
            if (burnable.compareTo(remaining) < 0) {
                left.put(drawn, remaining.subtract(burnable));
                t = nextExpiry;
            } else {
                t = t.plusSeconds(remaining.divide(perSecond, 0, RoundingMode.CEILING).longValueExact());
                left.remove(drawn);
            }
        }
        return new Runway(Money.of(burnPerDay), t, List.copyOf(unused));
    }

    /** The amount this forecast leaves unused in a lot (zero when it burns it all). */
    public BigDecimal unusedOf(String lotId) {
        return expiringUnused.stream().filter(u -> u.lotId().equals(lotId)).map(Unused::amount).findFirst()
                .orElse(Money.ZERO);
    }
}
