package dev.creditspolicy.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import dev.creditspolicy.policy.RulesBudgetExceeded;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.ProblemType;

/**
 * A refusal as its problem+json body: {@link ProblemHandler} answers it over HTTP (adding the request's
 * {@code instance}) and the Kafka decisions topic publishes it as a map, so both say exactly the same type, title,
 * status, detail, field and extra members. Status and title come from {@link ProblemType}.
 */
public final class ProblemBodies {
    private ProblemBodies() {
    }

    public static Map<String, Object> of(Problem p) {
        return map(detail(p));
    }

    /** The rules spent their evaluation budget: 503 {@code rules-timeout}, as over HTTP. */
    public static Map<String, Object> of(RulesBudgetExceeded e) {
        return map(detail(e));
    }

    static ProblemDetail detail(Problem p) {
        ProblemDetail body = detail(ProblemType.statusOf(p.slug()), p.slug(), p.title(), p.getMessage());
        if (p.field() != null) {
            body.setProperty("field", p.field());
        }
        p.extra().forEach(body::setProperty);
        return body;
    }

    static ProblemDetail detail(RulesBudgetExceeded e) {
        ProblemDetail body = detail(ProblemType.RULES_TIMEOUT, e.getMessage() + "; nothing was stored");
        if (e.rule() != null) {
            body.setProperty("rule", e.rule());
        }
        return body;
    }

    static ProblemDetail detail(ProblemType type, String detail) {
        return detail(type.status(), type.slug(), type.title(), detail);
    }

    /** A status answered alone (a refusal Spring or the container decided): the slug and title of that status. */
    static ProblemDetail detail(int status, String detail) {
        String slug = ProblemType.slugOfStatus(status);
        return detail(status, slug, ProblemType.titleOf(slug), detail);
    }

    private static ProblemDetail detail(int status, String slug, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        body.setType(URI.create(ProblemHandler.TYPE_BASE + slug));
        body.setTitle(title);
        return body;
    }

    private static Map<String, Object> map(ProblemDetail d) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", d.getType().toString());
        body.put("title", d.getTitle());
        body.put("status", d.getStatus());
        body.put("detail", d.getDetail());
        if (d.getProperties() != null) {
            body.putAll(d.getProperties());
        }
        return body;
    }
}
