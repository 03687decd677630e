package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("HTTP: holds: reserve, commit, release, read")
class HoldsApiTest extends ApiTestSupport {
    private static final String AT = "2026-07-05T10:00:00+08:00";

    private Reply hold(String holdId, String account, String credits) {
        return post("/v1/holds", json("{'holdId': '" + holdId + "', 'accountId': '" + account + "', 'product': 'CLI', "
                + "'feature': 'QUEST_AGENT', 'model': 'qwen3-coder', 'credits': " + credits + ", 'occurredAt': '"
                + AT + "'}"));
    }

    @Test
    @DisplayName("reserve 40, see it held in the balance, commit 25: 25 charged, 15 released, the hold reads COMMITTED")
    void holdCommitLess() {
        String id = personalAccountWithPlanCredits("alice");
        String hid = newId("h");

        Reply h = hold(hid, id, "40").expect(200);
        assertEquals("HELD", h.text("status"));
        assertAmount("40", h.get("held"));
        assertAmount("60", h.get("balanceAfter"));
        assertInstant("2026-07-05T10:15:00+08:00", h.get("expiresAt"));
        Reply during = balance(id, "2026-07-05T10:05:00+08:00").expect(200);
        assertAmount("60", during.get("total"));
        assertAmount("40", during.get("held"));

        Reply c = post("/v1/holds/" + hid + "/commit", json("{'outcome': 'SUCCEEDED', 'credits': 25, 'occurredAt': "
                + "'2026-07-05T10:10:00+08:00'}")).expect(200);
        assertEquals(hid, c.text("requestId"));
        assertEquals("CHARGED", c.text("status"));
        assertAmount("25", c.get("charged"));
        assertAmount("15", c.get("released"));
        assertEquals("false", c.header("Idempotent-Replayed"));
        Reply again = post("/v1/holds/" + hid + "/commit", json("{'outcome': 'SUCCEEDED', 'credits': 25.0, "
                + "'occurredAt': '2026-07-05T02:10:00Z'}")).expect(200);
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(c.json(), again.json());

        assertBalance(balance(id, "2026-07-05T10:11:00+08:00"), "75", "75", "0");
        Reply read = get("/v1/holds/" + hid).expect(200);
        assertEquals("COMMITTED", read.text("state"));
        assertAmount("25", read.get("outcome").get("charged"));
        assertEquals(c.json().get("charged"), get("/v1/usage/" + hid).expect(200).get("charged"));
    }

    @Test
    @DisplayName("release answers RELEASED; then commit is 409 hold-settled; an unknown hold is 404 unknown-hold")
    void releaseThenCommit() {
        String id = personalAccountWithPlanCredits("alice");
        String hid = newId("h");
        hold(hid, id, "10").expect(200);

        Reply r = post("/v1/holds/" + hid + "/release", json("{'occurredAt': '2026-07-05T10:01:00+08:00'}"))
                .expect(200);
        assertEquals("RELEASED", r.text("status"));
        assertAmount("10", r.get("released"));
        assertProblem(post("/v1/holds/" + hid + "/commit", json("{'outcome': 'SUCCEEDED', 'credits': 1, "
                + "'occurredAt': '2026-07-05T10:02:00+08:00'}")), 409, "hold-settled", "holdId");
        assertProblem(get("/v1/holds/" + newId("nope")), 404, "unknown-hold", "holdId");
        assertProblem(post("/v1/holds/" + newId("nope") + "/release", json("{'occurredAt': '" + AT + "'}")), 404,
                "unknown-hold", "holdId");
    }

    @Test
    @DisplayName("a commit at the hold's expiry is 409 hold-expired; a ttlSeconds out of 1..86400 is validation-failed")
    void expiredAndInvalid() {
        String id = personalAccountWithPlanCredits("alice");
        String hid = newId("h");
        hold(hid, id, "10").expect(200);
        assertProblem(post("/v1/holds/" + hid + "/commit", json("{'outcome': 'SUCCEEDED', 'credits': 1, "
                + "'occurredAt': '2026-07-05T10:15:00+08:00'}")), 409, "hold-expired", "holdId");
        assertProblem(post("/v1/holds", json("{'holdId': '" + newId("h") + "', 'accountId': '" + id + "', "
                + "'product': 'CLI', 'feature': 'QUEST_AGENT', 'model': 'm', 'credits': 1, 'occurredAt': '" + AT
                + "', 'ttlSeconds': 0}")), 400, "validation-failed", "ttlSeconds");
    }
}
