package dev.creditspolicy.requests;

/** The examples the OpenAPI document gives for the main bodies: the README's session (each a valid request). */
final class Examples {
    static final String ACCOUNT = "{\"accountId\":\"alice\",\"realm\":\"QODER_CN\",\"plan\":\"PERSONAL_PRO\","
            + "\"at\":\"2026-07-01T00:00:00+08:00\"}";
    static final String CYCLE = "{\"plan\":\"PERSONAL_PRO\",\"start\":\"2026-07-01T00:00:00+08:00\","
            + "\"end\":\"2026-08-01T00:00:00+08:00\",\"credits\":100,\"lotId\":\"plan-jul\"}";
    static final String GRANT = "{\"lotId\":\"pack-1\",\"source\":\"PURCHASE\",\"amount\":50,"
            + "\"effectiveAt\":\"2026-07-02T00:00:00+08:00\",\"expiresAt\":\"2026-07-20T00:00:00+08:00\","
            + "\"reason\":\"credit pack 50\"}";
    static final String USAGE = "{\"requestId\":\"r1\",\"accountId\":\"alice\",\"product\":\"CLI\","
            + "\"feature\":\"QUEST_AGENT\",\"model\":\"qwen3-coder\",\"outcome\":\"SUCCEEDED\",\"credits\":70.5,"
            + "\"occurredAt\":\"2026-07-03T10:00:00+08:00\"}";
    static final String HOLD = "{\"holdId\":\"h1\",\"accountId\":\"alice\",\"product\":\"CLI\","
            + "\"feature\":\"QUEST_AGENT\",\"model\":\"qwen3-coder\",\"credits\":20,"
            + "\"occurredAt\":\"2026-07-03T12:00:00+08:00\",\"ttlSeconds\":900}";
    static final String COMMIT = "{\"outcome\":\"SUCCEEDED\",\"credits\":12.5,"
            + "\"occurredAt\":\"2026-07-03T12:05:00+08:00\"}";

    private Examples() {
    }
}
