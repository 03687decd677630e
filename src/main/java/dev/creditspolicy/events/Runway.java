package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.creditspolicy.ledger.Money;

/**
 * The forecast (SPEC section 11): at the account's burn rate, when its credits run out and which lots expire with
 * credits left. Pure: the lots available at {@code at} and the burn rate in, the forecast out. The simulation burns
 * the lots soonest-expiry first (the default deduction order's first key), one after the other; a lot that expires
 * before it is burnt leaves the rest unused, and burning goes on with the next lot from that expiry.
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

    /** The forecast, or null when nothing was charged over the window (no rate to forecast from). */
    public static Runway of(Instant at, BigDecimal burnPerDay, List<Available> lots) {
        if (burnPerDay.signum() <= 0) {
            return null;
        }
        List<Available> byExpiry = new ArrayList<>(lots);
        byExpiry.sort(Comparator.comparing(Available::expiresAt).thenComparing(Available::lotId));
        BigDecimal perSecond = burnPerDay.divide(SECONDS_PER_DAY, 12, RoundingMode.HALF_UP);
        Instant t = at;
        List<Unused> unused = new ArrayList<>();
        for (Available lot : byExpiry) {
            if (!lot.expiresAt().isAfter(t)) {
                unused.add(new Unused(lot.lotId(), lot.expiresAt(), Money.of(lot.remaining())));
                continue;
            }
            // what the rate burns before the lot expires, compared first: a tiny rate over a large lot would take
            // longer than any instant can say
            BigDecimal burnable = perSecond.multiply(BigDecimal.valueOf(Duration.between(t, lot.expiresAt())
                    .getSeconds()));
            if (burnable.compareTo(lot.remaining()) < 0) {
                BigDecimal left = lot.remaining().subtract(burnable).setScale(Money.SCALE, RoundingMode.HALF_UP);
                unused.add(new Unused(lot.lotId(), lot.expiresAt(), left.max(Money.ZERO)));
                t = lot.expiresAt();
            } else {
                t = t.plusSeconds(lot.remaining().divide(perSecond, 0, RoundingMode.CEILING).longValueExact());
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
