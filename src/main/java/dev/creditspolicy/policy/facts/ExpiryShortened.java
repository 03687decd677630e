package dev.creditspolicy.policy.facts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A change brought a lot's expiry forward: {@code cause} is UPGRADE (a plan change) or VOID. */
public record ExpiryShortened(String lotId, Instant oldExpiresAt, Instant newExpiresAt, String cause)
        implements EventSubject {

    @Override
    public String subject() {
        return lotId;
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("lotId", lotId);
        data.put("oldExpiresAt", oldExpiresAt);
        data.put("newExpiresAt", newExpiresAt);
        data.put("cause", cause);
        return data;
    }
}
