package dev.creditspolicy.cli;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.CreditsServices;

/** A small production-like history: personal account, cycle, promotion, usage, upgrade to enterprise, more usage. */
final class ReplayCommandTestData {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private ReplayCommandTestData() {
    }

    static void populate(CreditsServices s) {
        s.accounts().create(Kinds.ACCOUNT.parse(null, json("""
                {"accountId":"carol","realm":"QODER","plan":"PERSONAL_PRO","at":"2026-07-01T00:00:00+08:00"}""")));
        s.accounts().startCycle(Kinds.CYCLE.parse("carol", json("""
                {"plan":"PERSONAL_PRO","start":"2026-07-01T00:00:00+08:00","end":"2026-08-01T00:00:00+08:00",
                 "credits":100}""")));
        s.accounts().grantAddon(Kinds.GRANT.parse("carol", json("""
                {"lotId":"promo-1","source":"PROMOTION","amount":20.5,"effectiveAt":"2026-07-01T00:00:00+08:00",
                 "expiresAt":"2026-07-20T00:00:00+08:00","reason":"welcome \\"promo\\", july"}""")));
        usage(s, "c1", "IDE", "SUCCEEDED", "30", "2026-07-02T00:00:00+08:00");
        usage(s, "c2", "MOBILE", "FAILED", "3", "2026-07-02T01:00:00+08:00");
        s.accounts().changePlan(Kinds.PLAN_CHANGE.parse("carol", json("""
                {"toPlan":"ENTERPRISE_TEAMS","at":"2026-07-05T00:00:00+08:00","kind":"UPGRADE"}""")));
        s.accounts().startCycle(Kinds.CYCLE.parse("carol", json("""
                {"plan":"ENTERPRISE_TEAMS","start":"2026-07-05T00:00:00+08:00","end":"2026-08-05T00:00:00+08:00",
                 "credits":500,"lotId":"ent-1"}""")));
        usage(s, "c3", "IDE", "SUCCEEDED", "1", "2026-07-06T00:00:00+08:00");
        usage(s, "c4", "CLI", "SUCCEEDED", "5", "2026-07-06T00:00:00+08:00");
        usage(s, "c0-late", "IDE", "SUCCEEDED", "2.0001", "2026-07-03T00:00:00+08:00");
    }

    private static void usage(CreditsServices s, String id, String product, String outcome, String credits,
                              String at) {
        s.usage().record(Kinds.USAGE.parse(null, json("{\"requestId\":\"" + id + "\",\"accountId\":\"carol\","
                + "\"product\":\"" + product + "\",\"feature\":\"EDITOR_AGENT\",\"model\":\"qwen3-coder\","
                + "\"outcome\":\"" + outcome + "\",\"credits\":" + credits + ",\"occurredAt\":\"" + at + "\"}")));
    }

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }
}
