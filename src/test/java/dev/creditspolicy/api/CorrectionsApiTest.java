package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Corrections over HTTP (SPEC section 7): voids and reversals, their answers, refusals, reads, access and audit. */
@DisplayName("HTTP: corrections: void a lot, reverse a charge")
class CorrectionsApiTest extends ApiTestSupport {
    private static final String PACK_EXPIRES = "2026-07-20T00:00:00+08:00";

    private Reply voidLot(String account, String lotId, String at, String reason, String key) {
        return post("/v1/accounts/" + account + "/lots/" + lotId + "/void",
                json("{'at': '" + at + "', 'reason': '" + reason + "'}"), key);
    }

    private Reply reverse(String requestId, String at, String reason, String key) {
        return post("/v1/usage/" + requestId + "/reversal", json("{'at': '" + at + "', 'reason': '" + reason + "'}"),
                key);
    }

    /** An account with a 100-credit plan lot and a 50-credit pack expiring before it (so drawn first). */
    private String accountWithPack() {
        String id = personalAccountWithPlanCredits("corr");
        grant(id, id + "-pack", "PURCHASE", "50", PACK_EXPIRES).expect(201);
        return id;
    }

    @Test
    @DisplayName("a void after partial use: voided is what was left, the lot expires at the void, a retry answers it "
            + "again, the lots and the expiry-change listing show it, the credits log does not change")
    void voidAfterPartialUse() {
        String id = accountWithPack();
        String pack = id + "-pack";
        usage(newId("r"), id, "CLI", "20", "2026-07-03T10:00:00+08:00").expect(200);
        JsonNode logBefore = get("/v1/accounts/" + id + "/credits-log").expect(200).json();

        Reply v = voidLot(id, pack, "2026-07-05T00:00:00+08:00", "refunded pack", ADMIN).expect(200);
        assertEquals(pack, v.text("lotId"));
        assertAmount("30", v.get("voided"));
        assertTrue(v.get("changed").asBoolean());
        assertAmount("30", v.get("remaining"));
        assertInstant("2026-07-05T00:00:00+08:00", v.get("expiresAt"));
        assertInstant(PACK_EXPIRES, v.get("initialExpiresAt"));
        assertEquals("refunded pack", v.text("voidReason"));
        assertEquals("false", v.header("Idempotent-Replayed"));
        Reply again = voidLot(id, pack, "2026-07-04T16:00:00Z", "refunded pack", ADMIN).expect(200);
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(v.json(), again.json());

        JsonNode lot = lot(id, pack);
        assertAmount("30", lot.get("voided"));
        assertEquals("refunded pack", lot.get("voidReason").asString());
        assertFalse(lot(id, id + "-plan").has("voided"), "a lot never voided shows no void");
        assertEquals(logBefore, get("/v1/accounts/" + id + "/credits-log").expect(200).json(),
                "the credits log is never rewritten");
        JsonNode listing = get("/v1/accounts/" + id + "/plan-changes").expect(200).json();
        assertEquals(1, listing.size());
        assertEquals("VOID", listing.get(0).get("kind").asString());
        JsonNode change = listing.get(0).get("expiryChanges").get(0);
        assertEquals(pack, change.get("lotId").asString());
        assertInstant(PACK_EXPIRES, change.get("oldExpiresAt"));
        assertInstant("2026-07-05T00:00:00+08:00", change.get("newExpiresAt"));
        assertTrue(change.get("cause").asString().startsWith("VOID"), change.toString());
        assertBalance(balance(id, "2026-07-05T00:00:00+08:00"), "100", "100", "0");
    }

    @Test
    @DisplayName("a void of an expired lot answers voided 0, changed false; unknown lot 404 unknown-lot; no reason, "
            + "a lotId in the body: 400")
    void voidRefusals() {
        String id = accountWithPack();
        Reply late = voidLot(id, id + "-pack", "2026-07-21T00:00:00+08:00", "too late", ADMIN).expect(200);
        assertAmount("0", late.get("voided"));
        assertFalse(late.get("changed").asBoolean());
        assertProblem(voidLot(id, "no-such-lot", JUL_02, "refund", ADMIN), 404, "unknown-lot", "lotId");
        String other = personalAccountWithPlanCredits("other");
        assertProblem(voidLot(other, id + "-pack", JUL_02, "refund", ADMIN), 404, "unknown-lot", "lotId");
        assertProblem(post("/v1/accounts/" + id + "/lots/" + id + "-pack/void", json("{'at': '" + JUL_02 + "'}")),
                400, "validation-failed", "reason");
        assertProblem(post("/v1/accounts/" + id + "/lots/" + id + "-pack/void", json("{'at': '" + JUL_02
                + "', 'reason': 'r', 'lotId': 'x'}")), 400, "validation-failed", "lotId");
        assertInstant(PACK_EXPIRES, lot(id, id + "-pack").get("expiresAt"));
    }

    @Test
    @DisplayName("a reversal of a two-lot charge gives both back; GET /v1/usage shows the decision unchanged with its "
            + "reversal beside it; the usage report counts it as reversed, not charged; retry and conflict")
    void reversal() {
        String id = accountWithPack();
        String r1 = newId("r");
        Reply charged = usage(r1, id, "CLI", "70", "2026-07-03T10:00:00+08:00").expect(200);
        usage(newId("r"), id, "CLI", "5", "2026-07-03T11:00:00+08:00").expect(200);

        Reply rev = reverse(r1, "2026-07-04T00:00:00+08:00", "the call failed upstream", ADMIN).expect(200);
        assertEquals(r1, rev.text("requestId"));
        assertEquals("REVERSED", rev.text("status"));
        assertAmount("70", rev.get("reversed"));
        assertEquals(List.of(id + "-pack", id + "-plan"), texts(rev.get("allocations"), "lotId"));
        assertInstant("2026-07-04T00:00:00+08:00", rev.get("at"));
        assertEquals("the call failed upstream", rev.text("reason"));
        assertBalance(balance(id, "2026-07-04T01:00:00+08:00"), "145", "95", "50");

        Reply again = reverse(r1, "2026-07-03T16:00:00Z", "the call failed upstream", ADMIN).expect(200);
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(rev.json(), again.json());
        assertProblem(reverse(r1, "2026-07-04T00:00:00+08:00", "another", ADMIN), 409, "idempotency-conflict",
                "requestId");

        Reply read = get("/v1/usage/" + r1).expect(200);
        assertEquals("CHARGED", read.text("status"), "the decision itself is never rewritten");
        assertEquals(charged.get("allocations"), read.get("allocations"));
        assertEquals(rev.json(), read.get("reversal"));
        assertNull(get("/v1/usage/" + newIdOfCharged(id)).json().get("reversal"));

        JsonNode group = get("/v1/accounts/" + id + "/usage").expect(200).json().get("groups").get(0);
        assertEquals(3, group.get("calls").asInt());
        assertEquals(2, group.get("charged").asInt());
        assertEquals(1, group.get("reversed").asInt());
        assertAmount("6", group.get("creditsCharged"));
        assertAmount("70", group.get("creditsReversed"));
    }

    private String newIdOfCharged(String account) {
        String id = newId("r");
        usage(id, account, "CLI", "1", "2026-07-05T10:00:00+08:00").expect(200);
        return id;
    }

    @Test
    @DisplayName("EXEMPT and INSUFFICIENT decisions are 422 not-reversible; an unknown request 404 unknown-request; "
            + "a reversal dated before its call 400")
    void reversalRefusals() {
        String id = accountWithPack();
        String failed = newId("f");
        post("/v1/usage", json("{'requestId': '" + failed + "', 'accountId': '" + id + "', 'product': 'CLI', "
                + "'feature': 'QUEST_AGENT', 'model': 'm', 'outcome': 'FAILED', 'credits': 5, 'occurredAt': "
                + "'2026-07-03T10:00:00+08:00'}")).expect(200);
        assertProblem(reverse(failed, "2026-07-04T00:00:00+08:00", "x", ADMIN), 422, "not-reversible", "requestId");
        String big = newId("b");
        usage(big, id, "CLI", "1000", "2026-07-03T10:00:00+08:00").expect(200);
        assertProblem(reverse(big, "2026-07-04T00:00:00+08:00", "x", ADMIN), 422, "not-reversible", "requestId");
        assertProblem(reverse(newId("nope"), "2026-07-04T00:00:00+08:00", "x", ADMIN), 404, "unknown-request",
                "requestId");
        String r = newId("r");
        usage(r, id, "CLI", "10", "2026-07-03T10:00:00+08:00").expect(200);
        assertProblem(reverse(r, "2026-07-03T09:00:00+08:00", "x", ADMIN), 400, "validation-failed", "at");
        assertNull(get("/v1/usage/" + r).json().get("reversal"), "a refused reversal stores nothing");
    }

    @Test
    @DisplayName("both calls need operator: service and analyst 403; another realm's operator 404 as if unknown; "
            + "an operator's void and reversal are in the audit trail under its key")
    void accessAndAudit() {
        String id = accountWithPack();
        String r = newId("r");
        usage(r, id, "CLI", "10", "2026-07-03T10:00:00+08:00").expect(200);
        String service = newKey(newId("svc"), "'service'", "'QODER_CN'");
        String analyst = newKey(newId("an"), "'analyst'", "'QODER_CN'");
        String otherRealm = newKey(newId("opq"), "'operator'", "'QODER'");
        String opName = newId("op");
        String operator = newKey(opName, "'operator'", "'QODER_CN'");
        for (String key : List.of(service, analyst)) {
            assertProblem(voidLot(id, id + "-pack", JUL_02, "x", key), 403, "forbidden", null);
            assertProblem(reverse(r, "2026-07-04T00:00:00+08:00", "x", key), 403, "forbidden", null);
        }
        assertProblem(voidLot(id, id + "-pack", JUL_02, "x", otherRealm), 404, "unknown-account", "accountId");
        Reply hidden = assertProblem(reverse(r, "2026-07-04T00:00:00+08:00", "x", otherRealm), 404,
                "unknown-request", "requestId");
        Reply unknown = reverse("no-" + r, "2026-07-04T00:00:00+08:00", "x", otherRealm);
        assertEquals(unknown.json().get("type"), hidden.json().get("type"));

        voidLot(id, id + "-pack", "2026-07-10T00:00:00+08:00", "refund", operator).expect(200);
        reverse(r, "2026-07-04T00:00:00+08:00", "duplicate", operator).expect(200);
        reverse(r, "2026-07-04T00:00:00+08:00", "duplicate", operator).expect(200); // a retry is not audited again
        Reply audit = get("/v1/audit?actor=" + opName).expect(200);
        assertEquals(List.of("reversal", "void"), texts(audit.json(), "action"));
        assertEquals(r, audit.json().get(0).get("target").asString());
        assertEquals("REVERSED", audit.json().get(0).get("result").get("status").asString());
        assertEquals(id + "/" + id + "-pack", audit.json().get(1).get("target").asString());
    }

    private JsonNode lot(String account, String lotId) {
        for (JsonNode l : get("/v1/accounts/" + account + "/lots").expect(200).json()) {
            if (l.get("lotId").asString().equals(lotId)) {
                return l;
            }
        }
        throw new AssertionError("no lot " + lotId);
    }
}
