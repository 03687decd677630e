package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Event time bounds (SPEC section 9, issue 26): no event dated more than the skew ahead of the server clock. */
@DisplayName("HTTP: occurredAt more than credits.limits.future-skew (1 day) ahead is refused, nothing stored")
class EventTimeApiTest extends ApiTestSupport {

    private static String ahead(Duration d) {
        return Instant.now().plus(d).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void assertNamesTheBound(Reply r) {
        assertProblem(r, 400, "validation-failed", "occurredAt");
        assertTrue(r.text("detail").contains("credits.limits.future-skew"), r.response().body());
        assertEquals("PT24H", r.text("futureSkew"));
    }

    private String holdBody(String holdId, String account, String occurredAt) {
        return json("{'holdId': '" + holdId + "', 'accountId': '" + account + "', 'product': 'CLI', "
                + "'feature': 'QUEST_AGENT', 'model': 'qwen3-coder', 'credits': 5, 'occurredAt': '" + occurredAt
                + "'}");
    }

    @Test
    @DisplayName("usage, evaluate, hold, commit and release two days ahead: 400 naming occurredAt and the bound")
    void farAheadIsRefused() {
        String id = personalAccountWithPlanCredits("skew");
        String late = ahead(Duration.ofDays(2));
        String rid = newId("u");
        assertNamesTheBound(post("/v1/usage", usageBody(rid, id, "CLI", "1", late)));
        assertProblem(get("/v1/usage/" + rid), 404, "not-found", "requestId"); // nothing stored
        assertNamesTheBound(post("/v1/evaluate", usageBody(newId("e"), id, "CLI", "1", late)));
        String hid = newId("h");
        assertNamesTheBound(post("/v1/holds", holdBody(hid, id, late)));
        assertProblem(get("/v1/holds/" + hid), 404, "unknown-hold", "holdId");

        grant(id, id + "-pack", "PURCHASE", "50", "2099-01-01T00:00:00Z").expect(201); // valid now
        String open = newId("h");
        String now = ahead(Duration.ZERO);
        post("/v1/holds", holdBody(open, id, now)).expect(200);
        assertNamesTheBound(post("/v1/holds/" + open + "/commit", json("{'outcome': 'SUCCEEDED', 'credits': 1, "
                + "'occurredAt': '" + late + "'}")));
        assertNamesTheBound(post("/v1/holds/" + open + "/release", json("{'occurredAt': '" + late + "'}")));
        assertEquals("OPEN", get("/v1/holds/" + open).expect(200).text("state")); // neither settled it
    }

    @Test
    @DisplayName("within the skew (an hour ahead) a call is decided as usual")
    void withinTheSkewIsDecided() {
        String id = personalAccountWithPlanCredits("skew-ok");
        usage(newId("u"), id, "CLI", "1", ahead(Duration.ofHours(1))).expect(200);
        post("/v1/evaluate", usageBody(newId("e"), id, "CLI", "1", ahead(Duration.ofHours(23)))).expect(200);
    }
}
