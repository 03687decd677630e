package dev.creditspolicy.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.policy.facts.Draw;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Store.Tx;

/** The runway of an account at an instant, as the balance and subscription reads and the alerts see it. */
public final class Forecasts {
    private Forecasts() {
    }

    /**
     * From the charges of the 7 days of event time up to {@code at} (one range of the usage index) and
     * {@code available}: the lots active at {@code at} with what open holds reserve taken out, as the caller has
     * already read them; null when nothing was charged.
     */
    public static Runway at(Tx tx, RuleSet rules, String accountId, Realm realm, Plan plan, Instant at,
                            List<LotRow> available) {
        BigDecimal charged = new AlertReads(tx.handle())
                .charged(new AlertReads.Window(accountId, at.minus(Runway.WINDOW), at));
        if (charged.signum() <= 0) {
            return null;
        }
        List<LotRow> lots = available.stream().filter(l -> l.remaining().signum() > 0).toList();
        return Runway.of(at, Runway.burnPerDay(charged), inDrawOrder(rules, accountId, realm, plan, at, lots));
    }

    /**
     * The lots in the order priority.drl draws the account's lots at {@code at} (asked without a product: the
     * forecast is the account's, whichever product burns it).
     */
    static List<Runway.Available> inDrawOrder(RuleSet rules, String accountId, Realm realm, Plan plan, Instant at,
                                              List<LotRow> lots) {
        Comparator<Lot> order = rules.deductionOrder(new Draw(accountId, realm, plan, null, at));
        return lots.stream().map(LotRow::toFact).sorted(order)
                .map(l -> new Runway.Available(l.getLotId(), l.getRemaining(), l.getExpiresAt())).toList();
    }
}
