package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.creditspolicy.ledger.Money;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Store.Tx;

/** The runway of an account at an instant, as the balance and subscription reads answer it. */
public final class Forecasts {
    private Forecasts() {
    }

    /**
     * From the charges of the 7 days of event time up to {@code at} (one range of the usage index) and the lots
     * active at {@code at} less what open holds reserve ({@code held}, per lot); null when nothing was charged.
     */
    public static Runway at(Tx tx, String accountId, Instant at, Map<String, BigDecimal> held) {
        BigDecimal charged = new EventDao(tx.handle()).chargedBetween(accountId, at.minus(Runway.WINDOW), at);
        if (charged.signum() <= 0) {
            return null;
        }
        List<Runway.Available> lots = new ArrayList<>();
        for (LotRow l : tx.lots().activeAt(accountId, at)) {
            BigDecimal available = l.remaining().subtract(held.getOrDefault(l.lotId(), Money.ZERO).min(l.remaining()));
            if (available.signum() > 0) {
                lots.add(new Runway.Available(l.lotId(), Money.of(available), l.expiresAt()));
            }
        }
        return Runway.of(at, Runway.burnPerDay(charged), lots);
    }
}
