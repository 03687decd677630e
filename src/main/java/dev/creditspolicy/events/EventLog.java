package dev.creditspolicy.events;

import java.util.List;

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

    /** The account's events, newest first, after the cursor {@code afterSeq} (null: from the newest). */
    public List<StoredEvent> ofAccount(String accountId, Long afterSeq, int limit) {
        return store.inTransaction(tx -> new EventDao(tx.handle()).ofAccount(accountId, afterSeq, limit));
    }
}
