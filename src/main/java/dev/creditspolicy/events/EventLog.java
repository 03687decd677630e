package dev.creditspolicy.events;

import java.util.List;

import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.store.Store;

/** Reading the events raised about an account (GET /v1/accounts/{id}/events). */
public final class EventLog {
    private final Store store;

    public EventLog(Store store) {
        this.store = store;
    }

    /** Every account's events after the outbox sequence number {@code seq}, in the order raised (scenarios). */
    public List<StoredEvent> since(long seq) {
        return store.inTransaction(tx -> tx.handle().createQuery("SELECT * FROM events WHERE seq > :seq ORDER BY seq")
                .bind("seq", seq).map(EventDao.EVENT).list());
    }

    /** A page of the account's events, newest first; the cursor is the outbox sequence number (ids are unordered). */
    public Page<StoredEvent> ofAccount(String accountId, PageRequest page) {
        return Page.of(store.inTransaction(tx -> new EventDao(tx.handle()).ofAccount(accountId, page)), page,
                e -> new Cursor(null, Long.toString(e.seq())));
    }
}
