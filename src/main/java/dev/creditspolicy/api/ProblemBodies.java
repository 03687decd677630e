package dev.creditspolicy.api;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.creditspolicy.policy.RulesBudgetExceeded;
import dev.creditspolicy.service.Problem;

/**
 * A refusal as the fields of its problem+json body, for answers that travel outside an HTTP response (the Kafka
 * decisions topic): the same type, title, status, detail, field and extra members {@link ProblemHandler} answers.
 */
public final class ProblemBodies {
    private ProblemBodies() {
    }

    public static Map<String, Object> of(Problem p) {
        Map<String, Object> body = body(ProblemTypes.status(p.slug()), p.slug(), p.title(), p.getMessage());
        if (p.field() != null) {
            body.put("field", p.field());
        }
        body.putAll(p.extra());
        return body;
    }

    /** The rules spent their evaluation budget: 503 {@code rules-timeout}, as over HTTP. */
    public static Map<String, Object> of(RulesBudgetExceeded e) {
        Map<String, Object> body = body(503, RulesBudgetExceeded.SLUG, "The rules did not decide in time",
                e.getMessage() + "; nothing was stored");
        if (e.rule() != null) {
            body.put("rule", e.rule());
        }
        return body;
    }

    private static Map<String, Object> body(int status, String slug, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemHandler.TYPE_BASE + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }
}
