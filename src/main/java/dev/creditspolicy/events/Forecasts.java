package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Store.Tx;

/** The runway of an account at an instant, as the balance and subscription reads answer it. */
public final class Forecasts {
    private Forecasts() {
    }

    /**
     * From the charges of the 7 days of event time up to {@code at} (one range of the usage index) and
     * {@code available}: the lots active at {@code at} with what open holds reserve taken out, as the caller has
     * already read them; null when nothing was charged.
     */
    public static Runway at(Tx tx, String accountId, Instant at, List<LotRow> available) {
        BigDecimal charged = new AlertReads(tx.handle())
                .charged(new AlertReads.Window(accountId, at.minus(Runway.WINDOW), at));
        if (charged.signum() <= 0) {
            return null;
        }
        List<Runway.Available> lots = available.stream().filter(l -> l.remaining().signum() > 0)
                .map(l -> new Runway.Available(l.lotId(), l.remaining(), l.expiresAt())).toList();
        return Runway.of(at, Runway.burnPerDay(charged), lots);
    }
}
