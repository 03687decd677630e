package dev.creditspolicy.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What operators watch: events raised by type (counted when fanned out, once across instances), delivery attempts
 * by outcome, and the queue: pending deliveries, the age of the oldest, events not yet fanned out (read from the
 * database every 2 s by the dispatcher, so every instance shows the shared queue).
 */
public final class DeliveryMetrics {
    private final MeterRegistry meters;
    private final Map<String, Counter> raised = new ConcurrentHashMap<>();
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();
    private final AtomicLong unfanned = new AtomicLong();

    public DeliveryMetrics(MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("credits.webhooks.queue.depth", pending, AtomicLong::get)
                .description("webhook deliveries waiting for an attempt (all instances)").register(meters);
        Gauge.builder("credits.webhooks.queue.oldest.age", oldestAgeSeconds, AtomicLong::get).baseUnit("seconds")
                .description("age of the oldest webhook delivery still waiting (0 when none)").register(meters);
        Gauge.builder("credits.events.outbox.unfanned", unfanned, AtomicLong::get)
                .description("events raised but not yet turned into deliveries").register(meters);
    }

    void bindInFlight(AtomicInteger sending) {
        Gauge.builder("credits.webhooks.in-flight", sending, AtomicInteger::get)
                .description("webhook attempts this instance is sending or has queued to send").register(meters);
    }

    void raised(String type) {
        raised.computeIfAbsent(type, t -> Counter.builder("credits.events.raised").tag("type", t)
                .description("events raised by the rules (alerts.drl), by type").register(meters)).increment();
    }

    /** {@code outcome}: delivered, retried (failed, will be tried again) or failed (retries spent). */
    void attempted(String outcome) {
        attempts.computeIfAbsent(outcome, o -> Counter.builder("credits.webhooks.deliveries").tag("outcome", o)
                .description("webhook delivery attempts by outcome").register(meters)).increment();
    }

    void refresh(WebhookDao dao, Instant now) {
        pending.set(dao.pendingCount());
        Instant oldest = dao.oldestPending();
        oldestAgeSeconds.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toSeconds()));
        unfanned.set(dao.eventsNotFannedOut());
    }
}
