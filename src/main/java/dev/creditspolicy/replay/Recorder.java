package dev.creditspolicy.replay;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.creditspolicy.service.Problem;
import dev.creditspolicy.store.Rows.AccountRow;
import dev.creditspolicy.store.Rows.AllocationRow;
import dev.creditspolicy.store.Rows.DecisionRow;
import dev.creditspolicy.store.Rows.EventRow;
import dev.creditspolicy.store.Rows.ExpiryChangeRow;
import dev.creditspolicy.store.Rows.LotRow;
import dev.creditspolicy.store.Rows.PlanChangeRow;
import dev.creditspolicy.store.Rows.PlanPeriodRow;
import dev.creditspolicy.store.Store;

/**
 * Writes an account's stored history as a scenario: its requests in the order they were applied, each usage and
 * plan change with the answer it got as the expectation. A case seen in production becomes a regression case.
 */
public final class Recorder {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:+\\-]+");

    private Recorder() {
    }

    public static String record(Store store, String accountId) {
        return store.inTransaction(tx -> {
            AccountRow account = tx.accounts().find(accountId).orElseThrow(() -> Problem.unknownAccount(accountId));
            List<PlanPeriodRow> history = tx.accounts().planHistory(accountId);
            StringBuilder y = new StringBuilder();
            y.append("# recorded from the ledger; expectations are the answers the account got\n");
            y.append("name: ").append(quote("recorded history of account " + accountId)).append('\n');
            y.append("steps:\n");
            for (EventRow e : tx.accounts().events(accountId)) {
                switch (e.kind()) {
                    case ACCOUNT -> step(y, "account", map("id", accountId, "realm", account.realm(),
                            "plan", history.get(0).plan(), "at", account.createdAt()), null);
                    case CYCLE -> {
                        LotRow l = tx.lots().find(e.ref()).orElseThrow();
                        step(y, "cycle", map("account", accountId, "plan", l.plan(), "start", l.effectiveAt(),
                                "end", l.initialExpiresAt(), "credits", l.amount(), "lotId", l.lotId()), null);
                    }
                    case GRANT -> {
                        LotRow l = tx.lots().find(e.ref()).orElseThrow();
                        step(y, "grant", map("account", accountId, "lotId", l.lotId(), "source", l.source(),
                                "amount", l.amount(), "effectiveAt", l.effectiveAt(), "expiresAt",
                                l.initialExpiresAt(), "reason", l.reason(), "originProduct", l.originProduct()), null);
                    }
                    case PLAN_CHANGE -> {
                        PlanChangeRow c = tx.planChanges().ofAccount(accountId).stream()
                                .filter(r -> r.changeId().toString().equals(e.ref())).findFirst().orElseThrow();
                        Map<String, Object> changes = new LinkedHashMap<>();
                        for (ExpiryChangeRow x : tx.planChanges().expiryChanges(c.changeId())) {
                            changes.put(x.lotId(), x.newExpiresAt());
                        }
                        step(y, "planChange", map("account", accountId, "kind", c.kind(), "toPlan", c.toPlan(),
                                "at", c.changedAt()), map("expiryChanges", changes));
                    }
                    case USAGE -> {
                        DecisionRow d = tx.usage().find(e.ref()).orElseThrow();
                        Map<String, Object> allocations = new LinkedHashMap<>();
                        for (AllocationRow a : tx.usage().allocations(d.requestId())) {
                            allocations.put(a.lotId(), a.amount());
                        }
                        step(y, "usage", map("requestId", d.requestId(), "account", accountId, "product",
                                d.product(), "feature", d.feature(), "model", d.model(), "outcome", d.outcome(),
                                "credits", d.credits(), "occurredAt", d.occurredAt()),
                                map("status", d.status(), "reason", d.reason(), "charged", d.charged(),
                                        "shortfall", d.shortfall(), "allocations", allocations));
                    }
                }
            }
            return y.toString();
        });
    }

    private static void step(StringBuilder y, String kind, Map<String, Object> body, Map<String, Object> expect) {
        y.append("  - ").append(kind).append(": ").append(flow(body)).append('\n');
        if (expect != null) {
            y.append("    expect: ").append(flow(expect)).append('\n');
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static String flow(Map<String, Object> m) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(quote(e.getKey())).append(": ");
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                s.append(flow((Map<String, Object>) nested));
            } else if (v instanceof BigDecimal d) {
                s.append(d.toPlainString());
            } else if (v instanceof Instant t) {
                s.append(t);
            } else {
                s.append(quote(v.toString()));
            }
        }
        return s.append('}').toString();
    }

    /** Plain when YAML reads it back as the same string, double-quoted (JSON escapes) otherwise. */
    static String quote(String s) {
        boolean plain = PLAIN.matcher(s).matches() && !s.matches("[-+]?[0-9].*|true|false|null|~|yes|no|on|off");
        if (plain) {
            return s;
        }
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
