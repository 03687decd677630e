package dev.creditspolicy.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.api.ProblemBodies;
import dev.creditspolicy.policy.RulesBudgetExceeded;
import dev.creditspolicy.service.BatchRunner.Outcome;
import dev.creditspolicy.service.Problem;

/**
 * The decisions topic: per event {@code {requestId, status, replayed, decision}} or {@code {requestId, status,
 * problem}}, keyed by account id, {@code status} being the HTTP status the event would have had alone and
 * {@code replayed} what {@code Idempotent-Replayed} says over HTTP. The decision is the JSON {@code POST /v1/usage}
 * answers, the problem the problem+json body it would have got.
 */
final class Decisions {
    private final KafkaTemplate<String, byte[]> kafka;
    private final String topic;
    private final JsonMapper json;

    Decisions(KafkaTemplate<String, byte[]> kafka, String topic, JsonMapper json) {
        this.kafka = kafka;
        this.topic = topic;
        this.json = json;
    }

    /**
     * Whether the event's failure is an answer (a refusal of this event, published like a decision) rather than
     * the database failing (Store.Busy, unavailable, any other error): that is retried, never published.
     */
    static boolean answers(RuntimeException failure) {
        return failure instanceof Problem || failure instanceof RulesBudgetExceeded;
    }

    /** Publishes what the event got; the future completes once the broker has it. */
    CompletableFuture<?> publish(UsageEvent event, Outcome<?> outcome) {
        if (outcome.failure() == null) {
            Map<String, Object> m = message(event.requestId(), 200);
            m.put("replayed", outcome.answered().replayed());
            m.put("decision", outcome.answered().body());
            return send(event, m);
        }
        Map<String, Object> problem = outcome.failure() instanceof Problem p ? ProblemBodies.of(p)
                : ProblemBodies.of((RulesBudgetExceeded) outcome.failure());
        return publishProblem(event, problem);
    }

    /** Publishes why a malformed event was refused. */
    CompletableFuture<?> publishMalformed(UsageEvent event) {
        return publishProblem(event, ProblemBodies.of(event.malformed()));
    }

    private CompletableFuture<?> publishProblem(UsageEvent event, Map<String, Object> problem) {
        Map<String, Object> m = message(event.requestId(), (Integer) problem.get("status"));
        m.put("problem", problem);
        return send(event, m);
    }

    private static Map<String, Object> message(String requestId, int status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", requestId);
        m.put("status", status);
        return m;
    }

    private CompletableFuture<?> send(UsageEvent event, Map<String, Object> message) {
        return kafka.send(topic, event.accountId(), json.writeValueAsBytes(message));
    }
}
