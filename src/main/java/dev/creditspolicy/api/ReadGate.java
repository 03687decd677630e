package dev.creditspolicy.api;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.creditspolicy.service.ProblemType;

/**
 * Readers must not take the writers' connections (issue 26): the account reports and lists (usage report, per-call
 * ledger, credits log, lots, plan changes, subscription, audit) run at most {@code credits.reads.max-concurrent} at
 * once per instance, so the rest of the pool stays for decisions. A reader that finds no place within {@code
 * credits.reads.max-wait} is answered 503 {@code busy} with {@code Retry-After}; nothing waits longer.
 */
final class ReadGate extends OncePerRequestFilter {
    private static final Pattern READS = Pattern.compile(
            "/v1/accounts/[^/]+/(usage|usage-decisions|credits-log|lots|plan-changes|subscription)|/v1/audit");

    private final Semaphore places;
    private final Duration maxWait;

    ReadGate(int maxConcurrent, Duration maxWait) {
        this.places = new Semaphore(maxConcurrent, true);
        this.maxWait = maxWait;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !READS.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean admitted;
        try {
            admitted = places.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            response.setHeader("Retry-After", "1");
            RawProblems.write(request, response, ProblemType.BUSY, "too many reports are being read at once "
                    + "(credits.reads.max-concurrent); retry it", null);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            places.release();
        }
    }
}
