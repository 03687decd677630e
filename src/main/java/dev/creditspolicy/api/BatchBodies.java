package dev.creditspolicy.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.Problem;

/**
 * Reads the body of a batch route, {@code {events: [...]}} (SPEC section 10), with the batch's bounds (see
 * {@link HttpLimits#batchReadConstraints}). Only the envelope is checked here: a body that is not JSON, exceeds a
 * bound, has a field other than {@code events}, or holds no event or more than {@link #MAX_EVENTS}, refuses the whole
 * batch with the answer a body alone would get; each event is then parsed, and refused, on its own.
 */
final class BatchBodies {
    static final int MAX_EVENTS = 1000;
    static final String USAGE = "/v1/usage/batch";
    static final String EVALUATE = "/v1/evaluate/batch";
    /** The routes whose bodies RequestGate lets be larger. */
    static final Set<String> PATHS = Set.of(USAGE, EVALUATE);

    private final JsonMapper mapper;

    BatchBodies(JsonMapper mapper) {
        this.mapper = mapper;
    }

    List<JsonNode> events(HttpServletRequest request) throws HttpMediaTypeNotSupportedException {
        if (request.getContentType() == null) {
            // as for a body read by Spring: without a Content-Type it is not JSON
            throw new HttpMediaTypeNotSupportedException("no Content-Type");
        }
        JsonNode body;
        try (InputStream in = request.getInputStream()) {
            body = mapper.readTree(in);
        } catch (IOException | JacksonException e) {
            throw new HttpMessageNotReadableException("JSON parse error: " + e.getMessage(), e,
                    new ServletServerHttpRequest(request));
        }
        if (body == null || body.isMissingNode()) {
            throw new HttpMessageNotReadableException("Required request body is missing",
                    new ServletServerHttpRequest(request));
        }
        new Fields(body, Set.of("events"));
        JsonNode events = body.get("events");
        if (events == null || events.isNull()) {
            throw Problem.invalid("events", "'events' is required");
        }
        if (!events.isArray()) {
            throw Problem.invalid("events", "'events' must be an array of usage bodies");
        }
        if (events.isEmpty() || events.size() > MAX_EVENTS) {
            throw Problem.invalid("events", "a batch holds 1 to " + MAX_EVENTS + " events; this one holds "
                    + events.size());
        }
        List<JsonNode> list = new ArrayList<>(events.size());
        events.forEach(list::add);
        return list;
    }
}
