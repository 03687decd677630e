package dev.creditspolicy.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.requests.Fields;

/**
 * The log of refused authentications, bounded (issue 26: 12,000 bad keys made 12,000 lines): per client address,
 * the first refusal of each minute is logged with the address (never the secret), the others of that minute are
 * counted into the address's next line; and at most {@value #LINES_PER_MINUTE} such lines a minute in all, the
 * lines left out counted into the next one written.
 */
final class FailedAuthentications {
    static final int LINES_PER_MINUTE = 100;
    private static final Logger log = LoggerFactory.getLogger(FailedAuthentications.class);
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** An address's current minute: when it began and the refusals since that were not logged. */
    private static final class Window {
        final long start;
        final AtomicLong unlogged = new AtomicLong();

        Window(long start) {
            this.start = start;
        }
    }

    private final Cache<String, Window> windows = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(10, TimeUnit.MINUTES).build();
    private final Bucket lines = Bucket.builder().addLimit(Bandwidth.builder().capacity(LINES_PER_MINUTE)
            .refillGreedy(LINES_PER_MINUTE, Duration.ofMinutes(1)).build()).build();
    private final AtomicLong linesLeftOut = new AtomicLong();

    void refused(String address, String method, String uri, String detail) {
        long now = System.nanoTime();
        Window current = windows.getIfPresent(address);
        if (current != null && now - current.start < WINDOW_NANOS) {
            current.unlogged.incrementAndGet();
            return;
        }
        Window fresh = new Window(now);
        Window before = windows.asMap().put(address, fresh);
        long earlier = before == null ? 0 : before.unlogged.get();
        if (!lines.tryConsume(1)) {
            linesLeftOut.incrementAndGet();
            fresh.unlogged.addAndGet(earlier + 1);
            return;
        }
        long leftOut = linesLeftOut.getAndSet(0);
        log.info("refused authentication from {}: {} {}: {}{}{}", Fields.shown(address, 64),
                Fields.shown(method, 16), Fields.shown(uri, 200), Fields.shown(detail, 200),
                earlier == 0 ? "" : "; and " + earlier + " more from this address since its last line",
                leftOut == 0 ? "" : "; " + leftOut + " lines about other addresses left out");
    }
}
