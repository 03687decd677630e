package dev.creditspolicy.api;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.access.AuditTrail;
import dev.creditspolicy.service.Views.Answer;

/**
 * Records a change in the audit trail once it is stored: the caller's key name, the request and the answer. A retry
 * answered from storage changed nothing and is not recorded. The entry is written after the change's own
 * transaction (see the README, "Who may do what").
 */
@Component
final class Audited {
    private final AuditTrail trail;
    private final JsonMapper json;

    Audited(AuditTrail trail, JsonMapper json) {
        this.trail = trail;
        this.json = json;
    }

    <T> Answer<T> change(String action, String target, JsonNode request, Answer<T> answer) {
        if (!answer.replayed()) {
            record(action, target, request == null ? null : request.toString(), answer.body());
        }
        return answer;
    }

    void record(String action, String target, String request, Object result) {
        trail.record(Callers.key().name(), action, target, request, result == null ? null
                : json.writeValueAsString(result));
    }
}
