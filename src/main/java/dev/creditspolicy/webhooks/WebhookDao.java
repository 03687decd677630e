package dev.creditspolicy.webhooks;

import static dev.creditspolicy.events.EventDao.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.facts.Realm;

/** Webhook endpoints, their deliveries and each delivery's attempts. SQL only; what to do is the dispatcher's. */
final class WebhookDao {
    record WebhookRow(String webhookId, String url, List<String> eventTypes, List<Realm> realms, String description,
                      String sealedSecret, String createdBy, Instant createdAt, Instant deletedAt) {
    }

    record DeliveryRow(long deliveryId, String webhookId, long eventSeq, String state, int attempts, int tries,
                       Instant nextAttemptAt, Instant createdAt) {
    }

    record AttemptRow(long deliveryId, int attempt, Instant startedAt, long durationMs, Integer responseCode,
                      String error) {
    }

    private static final RowMapper<WebhookRow> WEBHOOK = (rs, ctx) -> new WebhookRow(rs.getString("webhook_id"),
            rs.getString("url"), List.of(rs.getString("event_types").split(",")),
            Arrays.stream(rs.getString("realms").split(",")).map(Realm::valueOf).toList(),
            rs.getString("description"), rs.getString("secret"), rs.getString("created_by"),
            instant(rs, "created_at"), instant(rs, "deleted_at"));
    private static final RowMapper<DeliveryRow> DELIVERY = (rs, ctx) -> new DeliveryRow(rs.getLong("delivery_id"),
            rs.getString("webhook_id"), rs.getLong("event_seq"), rs.getString("state"), rs.getInt("attempts"),
            rs.getInt("tries"), instant(rs, "next_attempt_at"), instant(rs, "created_at"));
    private static final RowMapper<AttemptRow> ATTEMPT = (rs, ctx) -> {
        int code = rs.getInt("response_code");
        return new AttemptRow(rs.getLong("delivery_id"), rs.getInt("attempt"), instant(rs, "started_at"),
                rs.getLong("duration_ms"), rs.wasNull() ? null : code, rs.getString("error"));
    };

    private final Handle h;

    WebhookDao(Handle handle) {
        this.h = handle;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    void insert(WebhookRow w) {
        h.createUpdate("INSERT INTO webhooks (webhook_id, url, event_types, realms, description, secret, created_by, "
                        + "created_at) VALUES (:id, :url, :types, :realms, :description, :secret, :by, :at)")
                .bind("id", w.webhookId()).bind("url", w.url()).bind("types", String.join(",", w.eventTypes()))
                .bind("realms", realmList(w.realms()))
                .bind("description", w.description()).bind("secret", w.sealedSecret()).bind("by", w.createdBy())
                .bind("at", utc(w.createdAt())).execute();
    }

    /** A webhook's realms as stored: names in the enum's order, comma-separated (one spelling per set). */
    static String realmList(Collection<Realm> realms) {
        return String.join(",", realms.stream().sorted().distinct().map(Realm::name).toList());
    }

    Optional<WebhookRow> find(String webhookId) {
        return h.createQuery("SELECT * FROM webhooks WHERE webhook_id = :id AND deleted_at IS NULL")
                .bind("id", webhookId).map(WEBHOOK).findOne();
    }

    /**
     * A page of the webhooks not deleted whose realm list is one of {@code realmLists} (the caller's visible ones),
     * newest first: ids are time-ordered, so the id is the keyset.
     */
    List<WebhookRow> list(List<String> realmLists, PageRequest page) {
        return h.createQuery("SELECT * FROM webhooks WHERE deleted_at IS NULL AND realms IN (<realms>) "
                        + "AND webhook_id < :after ORDER BY webhook_id DESC LIMIT :rows")
                .bindList("realms", realmLists).bind("after", page.after() == null ? "~" : page.after().id())
                .bind("rows", page.rows()).map(WEBHOOK).list();
    }

    List<WebhookRow> active() {
        return h.createQuery("SELECT * FROM webhooks WHERE deleted_at IS NULL").map(WEBHOOK).list();
    }

    /** A deleted webhook receives nothing more: its pending deliveries are dropped (failed), its log is kept. */
    int delete(String webhookId, Instant at) {
        h.createUpdate("UPDATE deliveries SET state = 'CANCELLED', next_attempt_at = NULL WHERE webhook_id = :id "
                + "AND state = 'PENDING'").bind("id", webhookId).execute();
        return h.createUpdate("UPDATE webhooks SET deleted_at = :at WHERE webhook_id = :id AND deleted_at IS NULL")
                .bind("id", webhookId).bind("at", utc(at)).execute();
    }

    /** Events not yet fanned out, oldest first, locked so that two instances never fan out one event. */
    List<Long> claimEventsToFanOut(int limit) {
        return h.createQuery("SELECT seq FROM events WHERE fanned_out = FALSE ORDER BY seq LIMIT :limit "
                + "FOR UPDATE SKIP LOCKED").bind("limit", limit).mapTo(Long.class).list();
    }

    void markFannedOut(Collection<Long> seqs) {
        h.createUpdate("UPDATE events SET fanned_out = TRUE WHERE seq IN (<seqs>)").bindList("seqs", List.copyOf(seqs))
                .execute();
    }

    void insertDelivery(String webhookId, long eventSeq, Instant now) {
        h.createUpdate("INSERT INTO deliveries (webhook_id, event_seq, state, attempts, tries, next_attempt_at, "
                        + "created_at) VALUES (:w, :e, 'PENDING', 0, 0, :now, :now)")
                .bind("w", webhookId).bind("e", eventSeq).bind("now", utc(now)).execute();
    }

    /** Pending deliveries due by {@code now}, locked (SKIP LOCKED: another instance takes the others). */
    List<DeliveryRow> claimDue(Instant now, int limit) {
        return h.createQuery("SELECT * FROM deliveries WHERE state = 'PENDING' AND next_attempt_at <= :now "
                        + "ORDER BY next_attempt_at, delivery_id LIMIT :limit FOR UPDATE SKIP LOCKED")
                .bind("now", utc(now)).bind("limit", limit).map(DELIVERY).list();
    }

    /** The claim: one more attempt, and no other claimer until {@code leaseUntil} (a claimer that dies is retried). */
    void lease(long deliveryId, Instant leaseUntil) {
        h.createUpdate("UPDATE deliveries SET attempts = attempts + 1, tries = tries + 1, next_attempt_at = :until "
                + "WHERE delivery_id = :id").bind("id", deliveryId).bind("until", utc(leaseUntil)).execute();
    }

    /** The attempt's outcome; the state only moves from PENDING (a delete meanwhile keeps CANCELLED). */
    void finish(AttemptRow attempt, String state, Instant nextAttemptAt) {
        h.createUpdate("INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, response_code, "
                        + "error) VALUES (:id, :n, :at, :ms, :code, :error)")
                .bind("id", attempt.deliveryId()).bind("n", attempt.attempt()).bind("at", utc(attempt.startedAt()))
                .bind("ms", attempt.durationMs()).bind("code", attempt.responseCode()).bind("error", attempt.error())
                .execute();
        h.createUpdate("UPDATE deliveries SET state = :state, next_attempt_at = :next WHERE delivery_id = :id "
                        + "AND state = 'PENDING'")
                .bind("id", attempt.deliveryId()).bind("state", state).bind("next", utc(nextAttemptAt)).execute();
    }

    Optional<DeliveryRow> delivery(String webhookId, long deliveryId) {
        return h.createQuery("SELECT * FROM deliveries WHERE delivery_id = :id AND webhook_id = :w")
                .bind("id", deliveryId).bind("w", webhookId).map(DELIVERY).findOne();
    }

    /** A page of the webhook's deliveries, newest first (keyset on the delivery id). */
    List<DeliveryRow> deliveries(String webhookId, PageRequest page) {
        return h.createQuery("SELECT * FROM deliveries WHERE webhook_id = :w AND delivery_id < :before "
                        + "ORDER BY delivery_id DESC LIMIT :rows")
                .bind("w", webhookId).bind("before", page.after() == null ? Long.MAX_VALUE : page.after().number())
                .bind("rows", page.rows()).map(DELIVERY).list();
    }

    List<AttemptRow> attempts(Collection<Long> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT * FROM delivery_attempts WHERE delivery_id IN (<ids>) ORDER BY delivery_id, "
                + "attempt").bindList("ids", List.copyOf(deliveryIds)).map(ATTEMPT).list();
    }

    /** Sends the delivery again from now, with a fresh retry schedule; its attempts so far stay in the log. */
    int redeliver(long deliveryId, Instant now) {
        return h.createUpdate("UPDATE deliveries SET state = 'PENDING', tries = 0, next_attempt_at = :now "
                + "WHERE delivery_id = :id AND state <> 'CANCELLED'").bind("id", deliveryId).bind("now", utc(now))
                .execute();
    }

    long pendingCount() {
        return h.createQuery("SELECT COUNT(*) FROM deliveries WHERE state = 'PENDING'").mapTo(Long.class).one();
    }

    /** When the oldest pending delivery was made (null when none is pending). */
    Instant oldestPending() {
        return h.createQuery("SELECT MIN(created_at) AS t FROM deliveries WHERE state = 'PENDING'")
                .map((rs, ctx) -> instant(rs, "t")).one();
    }

    long eventsNotFannedOut() {
        return h.createQuery("SELECT COUNT(*) FROM events WHERE fanned_out = FALSE").mapTo(Long.class).one();
    }
}
