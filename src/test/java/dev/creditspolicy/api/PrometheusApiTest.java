package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code /actuator/prometheus}: admin only, the service's metrics in the Prometheus text format. */
class PrometheusApiTest extends ApiTestSupport {
    @Test
    void prometheusServesTheMetricsToAdminsOnly() {
        String id = personalAccountWithPlanCredits("prom");
        usage(newId("p"), id, "CLI", "1", JUL_02).expect(200);
        Reply r = get("/actuator/prometheus").expect(200);
        assertTrue(r.contentType().startsWith("text/plain") || r.contentType().contains("openmetrics"),
                r.contentType());
        assertTrue(r.response().body().contains("credits_decisions_total"), r.response().body());
        assertTrue(r.response().body().contains("credits_decisions_by_caller_total{"), r.response().body());
        Reply scraped = call("GET", "/actuator/prometheus", null, ADMIN);
        assertTrue(scraped.response().body().contains("credits_decisions_by_caller_total{realm=\"QODER_CN\",role=\"admin\""),
                scraped.response().body());
        assertProblem(get("/actuator/prometheus", null), 401, "unauthenticated", null);
        String service = newKey(newId("svc"), "'service'", "'QODER_CN'");
        assertProblem(get("/actuator/prometheus", service), 403, "forbidden", null);
    }
}
