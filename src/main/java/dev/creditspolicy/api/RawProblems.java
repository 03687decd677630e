package dev.creditspolicy.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.requests.Fields;

/**
 * Problem+json written by hand, for refusals decided before Spring MVC runs (the request gate) or after it gave up
 * (Tomcat's error report valve): no message converter, no content negotiation, nothing that can fail on the way.
 * Also the one place refusals are logged: one line each, request text escaped and cut short.
 */
final class RawProblems {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** The slug of a status the container or the gate answers; a status without its own slug is "http-NNN". */
    private static final Map<Integer, String> SLUGS = Map.ofEntries(
            Map.entry(400, "validation-failed"),
            Map.entry(401, "unauthenticated"),
            Map.entry(403, "forbidden"),
            Map.entry(404, "not-found"),
            Map.entry(405, "method-not-allowed"),
            Map.entry(406, "not-acceptable"),
            Map.entry(408, "request-timeout"),
            Map.entry(413, "payload-too-large"),
            Map.entry(414, "uri-too-long"),
            Map.entry(415, "unsupported-media-type"),
            Map.entry(429, "rate-limited"),
            Map.entry(431, "request-header-too-large"),
            Map.entry(500, "internal-error"),
            Map.entry(503, "busy"));

    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry("validation-failed", "Malformed request"),
            Map.entry("unauthenticated", "Unauthenticated"),
            Map.entry("forbidden", "Forbidden"),
            Map.entry("not-found", "Not found"),
            Map.entry("method-not-allowed", "Method not allowed"),
            Map.entry("not-acceptable", "Not acceptable"),
            Map.entry("request-timeout", "Request timeout"),
            Map.entry("payload-too-large", "Payload too large"),
            Map.entry("uri-too-long", "URI too long"),
            Map.entry("unsupported-media-type", "Unsupported media type"),
            Map.entry("request-header-too-large", "Request line or headers too large"),
            Map.entry("rate-limited", "Too many requests"),
            Map.entry("internal-error", "Internal error"),
            Map.entry("busy", "Service busy"));

    private RawProblems() {
    }

    static String slugFor(int status) {
        return SLUGS.getOrDefault(status, "http-" + status);
    }

    static String titleFor(String slug) {
        return TITLES.getOrDefault(slug, "Request refused");
    }

    /** The problem+json text; {@code field} and {@code instance} may be null. */
    static String json(int status, String slug, String title, String detail, String field, String instance) {
        StringBuilder b = new StringBuilder(256).append('{');
        b.append("\"type\":").append(quote(ProblemHandler.TYPE_BASE + slug));
        b.append(",\"title\":").append(quote(title));
        b.append(",\"status\":").append(status);
        b.append(",\"detail\":").append(quote(detail));
        if (instance != null) {
            b.append(",\"instance\":").append(quote(Fields.shown(instance, 200)));
        }
        if (field != null) {
            b.append(",\"field\":").append(quote(field));
        }
        return b.append('}').toString();
    }

    /** Answers a refusal from a servlet filter and logs it; the request goes no further. */
    static void write(HttpServletRequest request, HttpServletResponse response, int status, String slug,
                      String detail, String field) throws IOException {
        refused(request.getMethod(), request.getRequestURI(), slug, detail);
        answer(request, response, status, slug, detail, field);
    }

    /** The same answer without its log line (refused authentications are logged by {@link FailedAuthentications}). */
    static void answer(HttpServletRequest request, HttpServletResponse response, int status, String slug,
                       String detail, String field) throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        byte[] body = json(status, slug, titleFor(slug), detail, field, request.getRequestURI())
                .getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    static void write(Writer w, String json) throws IOException {
        w.write(json);
        w.flush();
    }

    /** The one log line of a refusal: method, path, slug and detail, each escaped and cut short. */
    static void refused(String method, String uri, String slug, String detail) {
        log.info("refused {} {}: {} {}", Fields.shown(method, 16), Fields.shown(uri, 200), slug,
                Fields.shown(detail, 300));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || (c >= 0x80 && c < 0xa0)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
