package dev.creditspolicy.api;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import tools.jackson.core.exc.StreamConstraintsException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleError;
import dev.creditspolicy.policy.RulesBudgetExceeded;
import dev.creditspolicy.policy.RulesInvalidException;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.ProblemType;
import dev.creditspolicy.store.Store;

/** Every refusal is application/problem+json with a stable type; each is logged once, on one line. */
@RestControllerAdvice
class ProblemHandler {
    static final String TYPE_BASE = "https://credits-policy.dev/problems/";
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private static final ExceptionHandlerMethodResolver HANDLERS =
            new ExceptionHandlerMethodResolver(ProblemHandler.class);

    /**
     * The answer {@code e} gets from this class's handler for it, called directly: an event refused inside a batch
     * answers exactly as the same refusal of a request alone.
     */
    @SuppressWarnings("unchecked")
    ResponseEntity<ProblemDetail> answer(Exception e, HttpServletRequest request) {
        try {
            return (ResponseEntity<ProblemDetail>) HANDLERS.resolveMethod(e).invoke(this, e, request);
        } catch (ReflectiveOperationException x) {
            throw new IllegalStateException("no problem answer for " + e.getClass().getName(), x);
        }
    }

    @ExceptionHandler(Problem.class)
    ResponseEntity<ProblemDetail> problem(Problem p, HttpServletRequest request) {
        return respond(ProblemBodies.detail(p), request);
    }

    @ExceptionHandler(RulesInvalidException.class)
    ResponseEntity<ProblemDetail> rulesInvalid(RulesInvalidException e, HttpServletRequest request) {
        ProblemDetail body = ProblemBodies.detail(ProblemType.RULES_INVALID, e.getMessage());
        List<Map<String, Object>> errors = e.errors().stream().map(ProblemHandler::error).toList();
        body.setProperty("errors", errors);
        return respond(body, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BoundedBody.TooLarge) {
                return respond(ProblemBodies.detail(ProblemType.PAYLOAD_TOO_LARGE, c.getMessage()), request);
            }
            if (c instanceof BoundedBody.TooSlow || c instanceof java.net.SocketTimeoutException) {
                // 408 closes the connection: what the client has not sent yet is not waited for
                return respond(ProblemBodies.detail(ProblemType.REQUEST_TIMEOUT, "the body did not arrive in time; "
                        + "nothing was stored"), request);
            }
        }
        String why = e.getMostSpecificCause() instanceof StreamConstraintsException
                ? "the body exceeds a limit: " : "the body is not valid JSON: ";
        return respond(ProblemBodies.detail(ProblemType.VALIDATION_FAILED,
                why + Fields.shown(firstLine(e.getMostSpecificCause().getMessage()), 200)), request);
    }

    /** A query parameter of the wrong type or missing, a method or media type Spring refuses: their own status. */
    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception e, HttpServletRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName()
                : ((MissingServletRequestParameterException) e).getParameterName();
        ProblemDetail body = ProblemBodies.detail(ProblemType.VALIDATION_FAILED,
                "parameter '" + Fields.shown(name) + "' is missing or malformed");
        body.setProperty("field", name);
        return respond(body, request);
    }

    /** Jackson gives up on a number beyond what BigDecimal holds (1e2147483648) with a bare NumberFormatException. */
    @ExceptionHandler(NumberFormatException.class)
    ResponseEntity<ProblemDetail> numberOutOfRange(NumberFormatException e, HttpServletRequest request) {
        boolean fromParser = java.util.Arrays.stream(e.getStackTrace())
                .anyMatch(f -> f.getClassName().startsWith("tools.jackson."));
        if (!fromParser) {
            return unexpected(e, request);
        }
        return respond(ProblemBodies.detail(ProblemType.VALIDATION_FAILED,
                "a number in the body is out of range: " + Fields.shown(firstLine(e.getMessage()), 60)), request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return respond(ProblemBodies.detail(ProblemType.NOT_ACCEPTABLE,
                "answers are application/json, errors application/problem+json"), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(ProblemBodies.detail(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "send Content-Type: application/json"), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(ProblemBodies.detail(ProblemType.METHOD_NOT_ALLOWED, e.getMessage()), request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noRoute(NoResourceFoundException e, HttpServletRequest request) {
        return respond(ProblemBodies.detail(ProblemType.NOT_FOUND, "no such resource"), request);
    }

    /** Contention that outlasted the service's own retries: nothing was stored, the caller may retry. */
    @ExceptionHandler(Store.Busy.class)
    ResponseEntity<ProblemDetail> busy(Store.Busy e, HttpServletRequest request) {
        log.warn("busy {} {}: {}", request.getMethod(), Fields.shown(request.getRequestURI(), 200),
                Fields.shown(e.getMessage(), 300));
        ProblemDetail body = ProblemBodies.detail(ProblemType.BUSY, "the request met contention that outlasted "
                + "the service's retries; nothing was stored; retry it");
        return ResponseEntity.status(503).header("Retry-After", "1")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(instance(body, request));
    }

    /** A rules reload while another was under way past its wait: nothing changed; serving was never blocked. */
    @ExceptionHandler(PolicyEngine.ReloadBusy.class)
    ResponseEntity<ProblemDetail> reloadBusy(PolicyEngine.ReloadBusy e, HttpServletRequest request) {
        ProblemDetail body = ProblemBodies.detail(ProblemType.BUSY, e.getMessage());
        return ResponseEntity.status(503).header("Retry-After", String.valueOf(PolicyEngine.RELOAD_WAIT.toSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(instance(body, request));
    }

    /**
     * The rules did not decide within their evaluation budget (a rule that keeps re-activating): the transaction
     * rolled back, nothing was stored; a retry meets the same rules, so the answer names the rule for the operators.
     */
    @ExceptionHandler(RulesBudgetExceeded.class)
    ResponseEntity<ProblemDetail> rulesTimeout(RulesBudgetExceeded e, HttpServletRequest request) {
        log.error("rules budget spent {} {}: {}", request.getMethod(), Fields.shown(request.getRequestURI(), 200),
                e.getMessage());
        return ResponseEntity.status(503).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(instance(ProblemBodies.detail(e), request));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse er && er.getStatusCode().is4xxClientError()) {
            return respond(ProblemBodies.detail(er.getStatusCode().value(), "the request was refused: "
                    + Fields.shown(firstLine(e.getMessage()), 200)), request);
        }
        log.error("failed {} {}", request.getMethod(), Fields.shown(request.getRequestURI(), 200), e);
        return respond(ProblemBodies.detail(ProblemType.INTERNAL_ERROR,
                "the request failed and nothing was stored; it is safe to retry"), request);
    }

    private static ProblemDetail instance(ProblemDetail body, HttpServletRequest request) {
        try {
            body.setInstance(URI.create(Fields.shown(request.getRequestURI(), 200)));
        } catch (IllegalArgumentException e) {
            // a path that is no URI reference stays out of the answer
        }
        return body;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail body, HttpServletRequest request) {
        instance(body, request);
        if (body.getStatus() < 500) {
            String type = String.valueOf(body.getType());
            RawProblems.refused(request.getMethod(), request.getRequestURI(),
                    type.substring(type.lastIndexOf('/') + 1), body.getDetail());
        }
        return ResponseEntity.status(body.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    private static Map<String, Object> error(RuleError e) {
        return e.rule() == null
                ? Map.of("file", e.file(), "line", e.line(), "message", e.message())
                : Map.of("file", e.file(), "line", e.line(), "rule", e.rule(), "message", e.message());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
