package dev.creditspolicy.ledger;

import java.util.List;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Reads the ledger's tables directly, to check what a request stored (or did not store). */
public final class LedgerTables {
    public static final List<String> ALL = List.of("accounts", "plan_history", "lots", "credits_log",
            "usage_decisions", "allocations", "plan_changes", "expiry_changes", "account_events", "holds",
            "hold_allocations", "lot_voids", "usage_reversals", "reversal_allocations", "usage_prices",
            "hold_prices");

    private LedgerTables() {
    }

    /** Every row of every table, as text: two equal snapshots mean nothing was written in between. */
    public static String snapshot(Jdbi jdbi) {
        return jdbi.withHandle(LedgerTables::snapshot);
    }

    /** The same, over a connection the caller keeps open (cheaper when taken often, as on PostgreSQL). */
    public static String snapshot(Handle h) {
        return ALL.stream()
                .map(t -> t + "=" + h.createQuery("SELECT * FROM " + t + " ORDER BY 1, 2").mapToMap().list())
                .collect(Collectors.joining("\n"));
    }

    public static long count(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }
}
