package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** A reversal recorded by a change: the decision and the credits that went back. */
public record UsageReversed(String requestId, BigDecimal reversed, String reason) implements EventSubject {

    @Override
    public String subject() {
        return requestId;
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("requestId", requestId);
        data.put("reversed", reversed);
        data.put("reason", reason);
        return data;
    }
}
