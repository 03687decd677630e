package dev.creditspolicy.webhooks;

import java.time.Instant;
import java.util.List;

/** What the webhook API answers. */
public final class WebhookViews {
    private WebhookViews() {
    }

    public record WebhookView(String id, String url, List<String> eventTypes, List<String> realms,
                              String description, String createdBy, Instant createdAt) {
        static WebhookView of(WebhookDao.WebhookRow w) {
            return new WebhookView(w.webhookId(), w.url(), w.eventTypes(),
                    w.realms().stream().map(Enum::name).toList(), w.description(), w.createdBy(), w.createdAt());
        }
    }

    /** The answer to a create: the only time the secret is shown. */
    public record CreatedWebhook(String id, String secret, String url, List<String> eventTypes, List<String> realms,
                                 String description, Instant createdAt) {
    }

    public record AttemptView(int attempt, Instant startedAt, long durationMs, Integer responseCode, String error) {
    }

    /** A delivery: PENDING (waiting for its next attempt), DELIVERED, FAILED (retries spent) or CANCELLED. */
    public record DeliveryView(long deliveryId, String eventId, String eventType, String state, Instant nextAttemptAt,
                               Instant createdAt, List<AttemptView> attempts) {
    }
}
