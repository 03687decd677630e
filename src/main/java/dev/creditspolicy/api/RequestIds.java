package dev.creditspolicy.api;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code X-Request-Id} (SPEC section 9): every response carries one, the caller's when it sent a valid one, else a
 * new UUID. It goes into the logging MDC with the client's address, so every log line of the request carries both
 * (Spring Security's refusals too: this filter runs first, before the request gate and the security chain); the
 * security chain adds the key's name once the key is known ({@link #KEY_NAME}). Valid is an allow-list: 1 to 128
 * characters of {@code [A-Za-z0-9._:@-]}; anything else (too long, a space, a newline that would forge a log line)
 * is replaced, never echoed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
final class RequestIds extends OncePerRequestFilter {
    static final String HEADER = "X-Request-Id";
    /** MDC keys; JSON logs carry them as fields of these names. */
    static final String REQUEST_ID = "requestId";
    static final String CLIENT_ADDRESS = "clientAddress";
    static final String KEY_NAME = "keyName";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    static String accepted(String sent) {
        return sent != null && VALID.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = accepted(request.getHeader(HEADER));
        response.setHeader(HEADER, id);
        MDC.put(REQUEST_ID, id);
        MDC.put(CLIENT_ADDRESS, request.getRemoteAddr());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(REQUEST_ID);
            MDC.remove(CLIENT_ADDRESS);
            MDC.remove(KEY_NAME);
        }
    }

    /** The caller's key, for the rest of the request's log lines (its name, never its secret). */
    static void keyNamed(String name) {
        MDC.put(KEY_NAME, name);
    }
}
