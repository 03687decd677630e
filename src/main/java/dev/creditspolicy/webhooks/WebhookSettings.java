package dev.creditspolicy.webhooks;

import java.time.Duration;
import java.util.List;

/**
 * How webhooks are delivered. {@code box} is null when secrets cannot be kept (no key on a production database):
 * creating a webhook is then refused. {@code retries}: the waits after each failed attempt (7 by default: 5 s, 30 s,
 * 2 min, 15 min, 1 h, 6 h, 24 h), after which a delivery is FAILED.
 */
public record WebhookSettings(List<String> allowedHosts, List<Duration> retries, Duration timeout, SecretBox box,
                              int workers, int perEndpoint, Duration poll) {
    public static final List<Duration> DEFAULT_RETRIES = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(2), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6),
            Duration.ofHours(24));

    /** Parses a schedule such as {@code 5s,30s,2m,15m,1h,6h,24h}. */
    public static List<Duration> schedule(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> Duration.parse("PT" + s.toUpperCase(java.util.Locale.ROOT))).toList();
    }
}
