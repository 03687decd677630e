package dev.creditspolicy.metrics;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jdbi.v3.core.Handle;

import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Store;

/**
 * What the ledger holds, as metrics, read by a few aggregate queries every {@code credits.metrics.ledger-seconds}
 * (never per request): credits granted, charged, reversed, voided and expired by realm and type (the lot's source),
 * open holds and the credits they hold by realm, and rules reloads by outcome. They are the shared database's totals,
 * so every instance reports the same values (aggregate across instances with max, not sum), they survive restarts,
 * and no service had to change to feed them. Series appear with the first row of their realm and type.
 */
public final class LedgerMetrics {
    /** One measure: its meter name, description, and the query answering (tag values..., value) rows. */
    private record Measure(String name, String description, List<String> tags, boolean counter, String sql) {
    }

    private static final String LOT_REALM_TYPE = " JOIN lots l ON l.lot_id = x.lot_id GROUP BY l.realm, l.source";
    static final List<Measure> MEASURES = List.of(
            new Measure("credits.granted", "credits granted (plan cycles and add-on grants), by realm and lot type",
                    List.of("realm", "type"), true, "SELECT realm, source, SUM(amount) FROM lots GROUP BY realm, source"),
            new Measure("credits.charged", "credits charged by usage decisions and hold commits, by realm and the type "
                    + "of the lot they came from (gross: reversals are credits.reversed)", List.of("realm", "type"), true,
                    "SELECT l.realm, l.source, SUM(x.amount) FROM allocations x" + LOT_REALM_TYPE),
            new Measure("credits.reversed", "credits given back by usage reversals, by realm and lot type",
                    List.of("realm", "type"), true,
                    "SELECT l.realm, l.source, SUM(x.amount) FROM reversal_allocations x" + LOT_REALM_TYPE),
            new Measure("credits.voided", "credits removed by lot voids, by realm and lot type",
                    List.of("realm", "type"), true,
                    "SELECT l.realm, l.source, SUM(x.voided) FROM lot_voids x" + LOT_REALM_TYPE),
            new Measure("credits.expired", "credits left unused on lots past their expiry (voided lots excluded), by "
                    + "realm and lot type; can step down when a late call dated before an expiry draws on the lot",
                    List.of("realm", "type"), true, "SELECT realm, source, SUM(remaining) FROM lots WHERE expires_at <= "
                    + ":now AND remaining > 0 AND lot_id NOT IN (SELECT lot_id FROM lot_voids) GROUP BY realm, source"),
            new Measure("credits.holds.open", "holds open now (neither committed, released nor expired), by realm",
                    List.of("realm"), false, "SELECT realm, COUNT(*) FROM holds WHERE state = 'OPEN' AND expires_at > "
                    + ":now GROUP BY realm"),
            new Measure("credits.holds.held", "credits held by the open holds, by realm", List.of("realm"), false,
                    "SELECT realm, SUM(held) FROM holds WHERE state = 'OPEN' AND expires_at > :now GROUP BY realm"),
            new Measure("credits.rules.reloads", "rules reloads recorded in the audit, by outcome (LOADED, UNCHANGED, "
                    + "REFUSED)", List.of("outcome"), true,
                    "SELECT outcome, COUNT(*) FROM rules_reloads GROUP BY outcome"));

    private final Store store;
    private final Clock clock;
    private final MeterRegistry meters;
    /** The last values read, by meter name and tag values; meters read them from here. */
    private final Map<String, Map<List<String>, Double>> values = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public LedgerMetrics(Store store, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.clock = clock;
        this.meters = meters;
    }

    /** Reads every measure in one read-only transaction and registers the series seen for the first time. */
    public void refresh() {
        Map<String, Map<List<String>, Double>> read = store.jdbi().inTransaction(h -> {
            Map<String, Map<List<String>, Double>> all = new HashMap<>();
            for (Measure m : MEASURES) {
                all.put(m.name(), rows(h, m));
            }
            return all;
        });
        for (Measure m : MEASURES) {
            Map<List<String>, Double> now = read.get(m.name());
            Map<List<String>, Double> kept = values.computeIfAbsent(m.name(), k -> new ConcurrentHashMap<>());
            kept.replaceAll((tags, old) -> m.counter() ? old : 0.0); // a gauge's series with no row now: zero
            if (!m.counter()) { // a gauge of every realm from the start: 0 open holds is a value, not a gap
                for (Realm realm : Realm.values()) {
                    now.putIfAbsent(List.of(realm.name()), 0.0);
                }
            }
            kept.putAll(now);
            now.keySet().forEach(tags -> register(m, tags));
        }
    }

    private Map<List<String>, Double> rows(Handle h, Measure m) {
        Map<List<String>, Double> rows = new HashMap<>();
        var query = h.createQuery(m.sql());
        if (m.sql().contains(":now")) {
            query.bind("now", clock.instant().atOffset(java.time.ZoneOffset.UTC));
        }
        query.map((rs, ctx) -> {
            int n = m.tags().size();
            List<String> tags = new java.util.ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                tags.add(rs.getString(i));
            }
            BigDecimal value = rs.getBigDecimal(n + 1);
            rows.put(tags, value == null ? 0.0 : value.doubleValue());
            return tags;
        }).list();
        return rows;
    }

    private void register(Measure m, List<String> tagValues) {
        if (!registered.add(m.name() + tagValues)) {
            return;
        }
        Tags tags = Tags.empty();
        for (int i = 0; i < tagValues.size(); i++) {
            tags = tags.and(m.tags().get(i), tagValues.get(i));
        }
        Map<List<String>, Double> source = values.get(m.name());
        if (m.counter()) {
            FunctionCounter.builder(m.name(), source, s -> s.getOrDefault(tagValues, 0.0))
                    .description(m.description()).tags(tags).register(meters);
        } else {
            Gauge.builder(m.name(), source, s -> s.getOrDefault(tagValues, 0.0))
                    .description(m.description()).tags(tags).register(meters);
        }
    }
}
