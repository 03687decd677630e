package dev.creditspolicy.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExplainedDecision;

/**
 * {@code credits.decisions.by.caller}: new usage decisions per realm, caller roles and status (issue 13), whether the
 * request came alone or in a batch; by status and reason: {@code credits.decisions}. The realm is the one the
 * decision carries (the account's, read in its transaction), not read again.
 */
@Component
final class CallerCounters {
    private final MeterRegistry meters;
    /** The counters per realm, roles and status, looked up once each rather than per request. */
    private final Map<String, Counter> byCaller = new ConcurrentHashMap<>();

    CallerCounters(MeterRegistry meters) {
        this.meters = meters;
    }

    void count(Answer<ExplainedDecision> answer) {
        if (answer.replayed()) {
            return;
        }
        String realm = answer.body().realm() == null ? "unknown" : answer.body().realm().name();
        String roles = Callers.roles();
        String status = answer.body().decision().status().name();
        byCaller.computeIfAbsent(realm + "/" + roles + "/" + status, k -> meters.counter(
                "credits.decisions.by.caller", "realm", realm, "role", roles, "status", status)).increment();
    }
}
