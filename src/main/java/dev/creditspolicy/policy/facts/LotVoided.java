package dev.creditspolicy.policy.facts;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** A void recorded by a change: the lot and its remaining when voided. */
public record LotVoided(String lotId, BigDecimal voided, String reason) implements EventSubject {

    @Override
    public String subject() {
        return lotId;
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("lotId", lotId);
        data.put("voided", voided);
        data.put("reason", reason);
        return data;
    }
}
