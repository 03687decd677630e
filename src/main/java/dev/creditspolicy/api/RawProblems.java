package dev.creditspolicy.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.ProblemType;

/**
 * Problem+json written by hand, for refusals decided before Spring MVC runs (the request gate) or after it gave up
 * (Tomcat's error report valve): no message converter, no content negotiation, nothing that can fail on the way.
 * Also the one place refusals are logged: one line each, request text escaped and cut short.
 */
final class RawProblems {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private RawProblems() {
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
    static void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail,
                      String field) throws IOException {
        write(request, response, type.status(), type.slug(), detail, field);
    }

    /** The same, by status and slug. */
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
        byte[] body = json(status, slug, ProblemType.titleOf(slug), detail, field, request.getRequestURI())
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
