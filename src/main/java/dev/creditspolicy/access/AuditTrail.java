package dev.creditspolicy.access;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.store.AuditDao.AuditRow;
import dev.creditspolicy.store.Store;

/**
 * Who changed what: every successful account creation, cycle, grant, plan change, rules reload and key change, with
 * the key's name, the server's clock, the request and its result (never a secret). A retry that changed nothing is
 * not a change and leaves no entry.
 */
public final class AuditTrail {
    public static final int MAX_TEXT = 60_000;
    private final Store store;
    private final Clock clock;

    public AuditTrail(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void record(String actor, String action, String target, String request, String result) {
        AuditRow row = new AuditRow(null, clock.instant(), actor, action, cut(target, 256), cut(request, MAX_TEXT),
                cut(result, MAX_TEXT));
        store.inTransaction(tx -> {
            tx.audit().insert(row);
            return null;
        });
    }

    /** A page of the entries in [from, to) (either open), of one actor or all, newest first. */
    public Page<AuditRow> find(Instant from, Instant to, String actor, PageRequest page) {
        return Page.of(store.inTransaction(tx -> tx.audit().find(from, to, actor, page)), page,
                r -> new Cursor(r.at(), r.auditId().toString()));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
