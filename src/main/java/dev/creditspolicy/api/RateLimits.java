package dev.creditspolicy.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.env.Environment;

import dev.creditspolicy.access.Role;
import dev.creditspolicy.service.ProblemType;

/**
 * Request rates (SPEC section 9), per instance: each key (or viewer token) gets a token bucket of its roles'
 * rate ({@code credits.rate-limits.<role>-per-second}, the highest of its roles; burst: one second's worth), and
 * each client address a bucket for its failed authentications only ({@code
 * credits.rate-limits.failed-auth-per-minute}): a valid key from that address never draws on it. Beyond either:
 * 429 {@code rate-limited} with {@code Retry-After} and the IETF draft's {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds). Buckets live in bounded caches (Caffeine),
 * forgotten after 10 idle minutes; N instances behind a balancer allow up to N times the rate.
 */
final class RateLimits {
    static final String VIEWER = "viewer";
    private static final int MAX_TRACKED = 100_000;

    private final Map<Role, Long> perSecond = new EnumMap<>(Role.class);
    private final long viewerPerSecond;
    private final long failuresPerMinute;
    private final Cache<String, Bucket> keys = cache();
    private final Cache<String, Bucket> addresses = cache();

    RateLimits(Environment env) {
        Map<Role, Long> defaults = Map.of(Role.SERVICE, 2000L, Role.OPERATOR, 200L, Role.ANALYST, 50L,
                Role.ADMIN, 500L);
        for (Role r : Role.values()) {
            perSecond.put(r, positive(env, "credits.rate-limits." + r.wire() + "-per-second", defaults.get(r)));
        }
        viewerPerSecond = positive(env, "credits.rate-limits.viewer-per-second", 20);
        failuresPerMinute = positive(env, "credits.rate-limits.failed-auth-per-minute", 60);
    }

    private static long positive(Environment env, String name, long fallback) {
        long v = env.getProperty(name, Long.class, fallback);
        if (v < 1) {
            throw new IllegalStateException(name + " must be at least 1; got " + v);
        }
        return v;
    }

    private static Cache<String, Bucket> cache() {
        return Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterAccess(10, TimeUnit.MINUTES).build();
    }

    /** The rate of a key with these roles (null: a viewer token). */
    long perSecond(Collection<Role> roles) {
        return roles == null ? viewerPerSecond
                : roles.stream().mapToLong(perSecond::get).max().orElse(viewerPerSecond);
    }

    /** Draws on the caller's bucket; false when it is empty (then the 429 is written). */
    boolean admitCaller(String caller, long rate, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Bucket bucket = keys.get(caller, k -> bucket(rate, Duration.ofSeconds(1)));
        return admit(bucket, rate, request, response, "this key's rate (" + rate + " requests a second) is spent");
    }

    /** Draws on the address's bucket of failed authentications; false when it is empty (then the 429 is written). */
    boolean admitFailure(String address, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Bucket bucket = addresses.get(address, k -> bucket(failuresPerMinute, Duration.ofMinutes(1)));
        return admit(bucket, failuresPerMinute, request, response, "too many failed authentications from this "
                + "address (" + failuresPerMinute + " a minute)");
    }

    private static Bucket bucket(long capacity, Duration period) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period)
                .build()).build();
    }

    private static boolean admit(Bucket bucket, long limit, HttpServletRequest request, HttpServletResponse response,
                                 String detail) throws IOException {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        response.setHeader("RateLimit-Limit", Long.toString(limit));
        response.setHeader("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        response.setHeader("RateLimit-Reset", Long.toString(seconds(probe.getNanosToWaitForReset())));
        if (probe.isConsumed()) {
            return true;
        }
        long retry = seconds(probe.getNanosToWaitForRefill());
        response.setHeader("Retry-After", Long.toString(retry));
        RawProblems.write(request, response, ProblemType.RATE_LIMITED, detail + "; retry after " + retry + " s",
                null);
        return false;
    }

    /** Whole seconds, rounded up (a client waiting that long finds a token). */
    private static long seconds(long nanos) {
        return Math.max(0, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
