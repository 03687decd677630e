package dev.creditspolicy.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.RequestDispatcher;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import dev.creditspolicy.service.ProblemType;

/**
 * Tomcat's error report valve, answering problem+json instead of an HTML page: what reaches it are the errors no
 * controller answered (a path Tomcat refuses to decode: %2F, %5C, %00, bad %-escapes or UTF-8; a request line or
 * headers over the limit; a malformed request line; an unmapped method or path; an exception escaping a filter).
 * The slug comes from the status ({@link ProblemType#slugOfStatus}); an oversized request line or header block, which
 * Tomcat answers 400, gets its own slug {@code request-header-too-large}.
 */
public class ProblemErrorValve extends ErrorReportValve {
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        Throwable cause = throwable != null ? throwable
                : (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String slug = ProblemType.slugOfStatus(status);
        String detail;
        if (status == 400 && tooLarge(cause)) {
            slug = ProblemType.REQUEST_HEADER_TOO_LARGE.slug();
            detail = "the request line or headers are larger than the server accepts";
        } else if (status >= 500) {
            detail = "the request failed; if it changed anything it was rolled back";
        } else {
            detail = switch (status) {
                case 400 -> "the request line, path or headers are malformed (e.g. an encoded '/', '\\' or NUL"
                        + " in the path, a bad %-escape or bad UTF-8)";
                case 404 -> "no such resource";
                case 405 -> "method not allowed on this path";
                default -> "the request was refused (HTTP " + status + ")";
            };
        }
        String uri = request.getCoyoteRequest() == null ? null : request.getCoyoteRequest().requestURI().toString();
        String method = request.getCoyoteRequest() == null ? "?" : request.getCoyoteRequest().method().toString();
        if (status >= 500 && cause != null) {
            getContainer().getLogger().error("failed " + method + " " + dev.creditspolicy.requests.Fields.shown(
                    uri == null ? "" : uri, 200), cause);
        } else {
            RawProblems.refused(method, uri == null ? "" : uri, slug, detail);
        }
        try {
            response.setContentType(RawProblems.CONTENT_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer w = response.getReporter();
            if (w != null) {
                w.write(RawProblems.json(status, slug, ProblemType.titleOf(slug), detail, null, null));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the response cannot take a body any more: nothing more to do
        }
    }

    private static boolean tooLarge(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("too large") || m.contains("header size") || m.contains("maxHttp"))) {
                return true;
            }
        }
        return false;
    }
}
