package dev.creditspolicy.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.ProblemType;

/**
 * Settles everything about a request that does not depend on its meaning before any controller runs, so a
 * request refused for its form never reaches the service, and an accepted one cannot fail after its commit:
 * <ul>
 * <li>Accept must admit application/json or application/problem+json (else 406); the controllers then see
 * {@code Accept: application/json}, so Spring's content negotiation cannot fail after the transaction.</li>
 * <li>a Content-Type, when present, must be JSON (else 415): no form or multipart parsing ever starts.</li>
 * <li>the body is at most {@link #maxBody} bytes ({@link #maxBatchBody} on the batch routes), by Content-Length or
 * as it streams (else 413).</li>
 * <li>the query string decodes as UTF-8 with valid escapes, at most 32 parameters (else 400 naming it).</li>
 * <li>path segments decode as UTF-8 and ids in the path hold no control character (else 400).</li>
 * </ul>
 */
final class RequestGate extends OncePerRequestFilter {
    private final long maxBody;
    /** The batch routes' limit (SPEC section 10: at least 1 MB, 1,000 events). */
    private final long maxBatchBody;
    private final Duration bodyTimeout;

    RequestGate(long maxBody, long maxBatchBody, Duration bodyTimeout) {
        this.maxBody = maxBody;
        this.maxBatchBody = maxBatchBody;
        this.bodyTimeout = bodyTimeout;
    }

    private long maxBody(HttpServletRequest request) {
        return BatchBodies.PATHS.contains(request.getRequestURI()) ? maxBatchBody : maxBody;
    }

    /**
     * Accept is settled on every path, the actuator's too (it answers application/json as well): a header such as
     * {@code application/json; charset=latin1} would otherwise fail Spring's negotiation into a 500. The one
     * exception is the Prometheus scrape endpoint, which answers text (its scrapers ask for
     * {@code application/openmetrics-text} or {@code text/plain}), and the Swagger UI's and the Usage page's pages and
     * scripts, the chart library's WebJar and the site's icon (a browser asks for it with {@code Accept: image/*});
     * they read no body and store nothing.
     */
    private static boolean api(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !PROMETHEUS.equals(uri) && !uri.startsWith("/swagger-ui") && !uri.equals("/usage")
                && !uri.startsWith("/usage/") && !uri.startsWith("/webjars/") && !uri.equals("/favicon.ico");
    }

    static final String PROMETHEUS = "/actuator/prometheus";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        long max = maxBody(request);
        if (length > max) {
            RawProblems.write(request, response, ProblemType.PAYLOAD_TOO_LARGE, "the body is " + length
                    + " bytes; at most " + max + " are read", null);
            return;
        }
        try {
            if (api(request)) {
                checkAccept(request);
            }
            checkContentType(request);
            RequestTargets.checkQuery(request.getQueryString());
            RequestTargets.checkPath(request.getRequestURI());
        } catch (Refusal r) {
            RawProblems.write(request, response, r.type, r.getMessage(), r.field);
            return;
        } catch (Problem p) {
            RawProblems.write(request, response, ProblemType.statusOf(p.slug()), p.slug(), p.getMessage(),
                    p.field());
            return;
        }
        chain.doFilter(new Gated(request, max, bodyTimeout, api(request)), response);
    }

    /** A request refused before any controller: its status, slug, detail and field. */
    static final class Refusal extends RuntimeException {
        final ProblemType type;
        final String field;

        Refusal(ProblemType type, String detail, String field) {
            super(detail, null, false, false);
            this.type = type;
            this.field = field;
        }
    }

    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    static void checkAccept(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(HttpHeaders.ACCEPT);
        if (values == null || !values.hasMoreElements()) {
            return;
        }
        String accept = String.join(",", Collections.list(values));
        if (accept.isBlank()) {
            return;
        }
        List<MediaType> types;
        try {
            if (accept.length() > 1024) {
                throw new InvalidMediaTypeException(accept, "too long");
            }
            types = MediaType.parseMediaTypes(accept);
        } catch (IllegalArgumentException e) {
            throw new Refusal(ProblemType.NOT_ACCEPTABLE, "the Accept header cannot be read ('" + Fields.shown(accept)
                    + "'); answers are application/json, errors application/problem+json", null);
        }
        for (MediaType t : types) {
            if (t.getQualityValue() > 0 && (t.includes(MediaType.APPLICATION_JSON) || t.includes(PROBLEM))) {
                return;
            }
        }
        throw new Refusal(ProblemType.NOT_ACCEPTABLE, "Accept '" + Fields.shown(accept) + "' admits neither "
                + "application/json nor application/problem+json; nothing was done", null);
    }

    static void checkContentType(HttpServletRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        MediaType t;
        try {
            t = type.length() > 256 ? null : MediaType.parseMediaType(type);
        } catch (IllegalArgumentException e) {
            t = null;
        }
        boolean json = t != null && !t.isWildcardType() && !t.isWildcardSubtype()
                && t.getType().equals("application")
                && (t.getSubtype().equals("json") || t.getSubtype().endsWith("+json"));
        if (!json) {
            throw new Refusal(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + Fields.shown(type)
                    + "' is not accepted; send Content-Type: application/json", null);
        }
        String charset = t.getParameter("charset");
        if (charset != null && !charset.replace("\"", "").equalsIgnoreCase("utf-8")) {
            throw new Refusal(ProblemType.UNSUPPORTED_MEDIA_TYPE, "charset '" + Fields.shown(charset)
                    + "' is not accepted; send UTF-8", null);
        }
    }

    /** The request as the controllers see it: Accept settled to JSON, the body stream counted. */
    private static final class Gated extends HttpServletRequestWrapper {
        private final long max;
        private final Duration timeout;
        private final boolean settleAccept;
        private ServletInputStream stream;

        Gated(HttpServletRequest request, long max, Duration timeout, boolean settleAccept) {
            super(request);
            this.max = max;
            this.timeout = timeout;
            this.settleAccept = settleAccept;
        }

        @Override
        public String getHeader(String name) {
            return settleAccept && HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? MediaType.APPLICATION_JSON_VALUE
                    : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return settleAccept && HttpHeaders.ACCEPT.equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(MediaType.APPLICATION_JSON_VALUE)) : super.getHeaders(name);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new BoundedBody(super.getInputStream(), max, timeout);
            }
            return stream;
        }
    }
}
