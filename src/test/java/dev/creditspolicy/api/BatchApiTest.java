package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.ledger.LedgerTables;

/**
 * SPEC section 10 over HTTP: {@code POST /v1/usage/batch} and {@code POST /v1/evaluate/batch} answer each event in
 * its slot as it would have been answered alone; only the envelope, the size and the caller's role refuse a batch.
 */
@DisplayName("Batch ingestion: each event answered as alone, in the order sent")
class BatchApiTest extends ApiTestSupport {
    @Autowired
    DataSource dataSource;

    static String batch(List<String> events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    /** A problem as compared between a batch slot and a request alone: everything but where it was sent. */
    static JsonNode comparable(JsonNode problem) {
        ObjectNode copy = (ObjectNode) problem.deepCopy();
        copy.remove("instance");
        return copy;
    }

    private Reply alone(String body) {
        return post("/v1/usage", body);
    }

    @Test
    @DisplayName("valid, repeated, conflicting, unknown, malformed and insufficient events each get their own answer")
    void eachEventAnsweredAsAlone() {
        String acct = personalAccountWithPlanCredits("b-mix");
        String r1 = newId("b-r1");
        String same = usageBody(r1, acct, "CLI", "10", JUL_02);
        String other = usageBody(r1, acct, "CLI", "11", JUL_02);
        String unknownField = json("{'requestId': '" + newId("b-x") + "', 'accountId': '" + acct
                + "', 'product': 'CLI', 'feature': 'QUEST_AGENT', 'model': 'qwen3-coder', 'outcome': 'SUCCEEDED', "
                + "'credits': 1, 'occurredAt': '" + JUL_02 + "', 'colour': 'red'}");
        String badEnum = usageBody(newId("b-e"), acct, "VSCODE", "1", JUL_02);
        String nobody = usageBody(newId("b-n"), "nobody-" + newId("x"), "CLI", "1", JUL_02);
        String tooMuch = usageBody(newId("b-big"), acct, "CLI", "500", JUL_02);
        String last = usageBody(newId("b-last"), acct, "IDE", "5", JUL_02);

        Reply r = post(BatchBodies.USAGE, batch(List.of(same, same, other, unknownField, badEnum, "42", nobody,
                tooMuch, last))).expect(200);
        JsonNode results = r.get("results");
        assertEquals(9, results.size());
        for (int i = 0; i < results.size(); i++) {
            assertEquals(i, results.get(i).get("index").asInt(), "slots in the order sent");
        }
        assertEquals(List.of(200, 200, 409, 400, 400, 400, 404, 200, 200), statuses(results));
        assertEquals("CHARGED", results.get(0).get("decision").get("status").asString());
        assertFalse(results.get(0).get("replayed").asBoolean());
        assertTrue(results.get(1).get("replayed").asBoolean(), "a repeated id in the batch answers as a retry");
        assertEquals(results.get(0).get("decision"), results.get(1).get("decision"), "the retry gets the first answer");
        assertEquals("INSUFFICIENT", results.get(7).get("decision").get("status").asString());
        assertEquals("colour", results.get(3).get("problem").get("field").asString(), "the unknown field by name");
        assertAmount("85", results.get(8).get("decision").get("balanceAfter"));

        // each refused event's problem is the one it gets alone (the conflict too, now that r1 is stored)
        int[] refused = {2, 3, 4, 5, 6};
        List<String> bodies = List.of(same, same, other, unknownField, badEnum, "42", nobody, tooMuch, last);
        for (int i : refused) {
            Reply a = alone(bodies.get(i));
            assertEquals(a.status(), results.get(i).get("status").asInt(), bodies.get(i));
            assertEquals(comparable(a.json()), comparable(results.get(i).get("problem")), bodies.get(i));
            assertTrue(results.get(i).get("problem").get("type").asString().startsWith(ProblemHandler.TYPE_BASE));
            assertNull(results.get(i).get("decision"));
        }
        Reply replay = alone(same).expect(200);
        assertEquals("true", replay.header(Responses.REPLAYED));
        assertEquals(results.get(0).get("decision"), replay.json(), "the batch's decision is the stored one");
        assertAmount("85", balance(acct, "2026-07-03T00:00:00%2B08:00").get("total"));
    }

    @Test
    @DisplayName("the same batch sent again is answered with the first answers, and stores nothing more")
    void aBatchRetriedIsReplayed() {
        String acct = personalAccountWithPlanCredits("b-retry");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(usageBody(newId("b-rt"), acct, "CLI", "3", JUL_02));
        }
        JsonNode first = post(BatchBodies.USAGE, batch(events)).expect(200).get("results");
        String before = LedgerTables.snapshot(Jdbi.create(dataSource));
        JsonNode again = post(BatchBodies.USAGE, batch(events)).expect(200).get("results");
        for (int i = 0; i < 20; i++) {
            assertEquals(first.get(i).get("decision"), again.get(i).get("decision"));
            assertTrue(again.get(i).get("replayed").asBoolean());
        }
        assertEquals(before, LedgerTables.snapshot(Jdbi.create(dataSource)));
        assertAmount("40", balance(acct, "2026-07-03T00:00:00%2B08:00").get("total"));
    }

    @Test
    @DisplayName("evaluate/batch answers as /v1/evaluate alone and stores nothing")
    void evaluateBatchStoresNothing() {
        String acct = personalAccountWithPlanCredits("b-eval");
        String a = usageBody(newId("b-ev"), acct, "CLI", "60", JUL_02);
        String b = usageBody(newId("b-ev"), acct, "CLI", "60", JUL_02);
        String before = LedgerTables.snapshot(Jdbi.create(dataSource));
        JsonNode results = post(BatchBodies.EVALUATE, batch(List.of(a, b, "{}"))).expect(200).get("results");
        assertEquals(before, LedgerTables.snapshot(Jdbi.create(dataSource)));
        assertEquals(List.of(200, 200, 400), statuses(results));
        assertEquals(post("/v1/evaluate", a).expect(200).json(), results.get(0).get("decision"));
        // nothing stored: the second sees the whole plan lot too
        assertEquals("CHARGED", results.get(1).get("decision").get("status").asString());
        assertNull(results.get(0).get("replayed"), "evaluate answers are never replays");
        assertEquals(comparable(post("/v1/evaluate", "{}").json()), comparable(results.get(2).get("problem")));
    }

    @Test
    @DisplayName("an event on an account of a realm the key may not touch answers 404 in its slot, as alone")
    void realmScopePerEvent() {
        String cn = personalAccountWithPlanCredits("b-cn");
        String qoder = newId("b-q");
        createAccount(qoder, "QODER", "PERSONAL_PRO").expect(201);
        cycle(qoder, qoder + "-plan", "PERSONAL_PRO", "100").expect(201);
        String key = newKey(newId("b-svc"), "'service'", "'QODER'");
        String hidden = usageBody(newId("b-h"), cn, "CLI", "1", JUL_02);
        String seen = usageBody(newId("b-s"), qoder, "CLI", "1", JUL_02);

        JsonNode results = post(BatchBodies.USAGE, batch(List.of(hidden, seen)), key).expect(200).get("results");
        assertEquals(List.of(200), statuses(results).subList(1, 2));
        Reply alone = post("/v1/usage", hidden, key).expect(404);
        assertEquals(comparable(alone.json()), comparable(results.get(0).get("problem")));
        assertAmount("100", balance(cn, "2026-07-03T00:00:00%2B08:00").get("total"));
    }

    @Test
    @DisplayName("1,000 events in a body over 1 MB are taken; the envelope, the count and the role refuse the batch")
    void wholeBatchRefusals() {
        String acct = personalAccountWithPlanCredits("b-big");
        List<String> thousand = new ArrayList<>();
        String pad = " ".repeat(900);
        for (int i = 0; i < 1000; i++) {
            thousand.add(pad + usageBody(newId("b-k"), acct, "CLI", "0.01", JUL_02));
        }
        String big = batch(thousand);
        assertTrue(big.length() > 1_048_576, "over 1 MB: " + big.length());
        JsonNode results = post(BatchBodies.USAGE, big).expect(200).get("results");
        assertEquals(1000, results.size());
        results.forEach(s -> assertEquals(200, s.get("status").asInt(), s::toString));
        assertAmount("90", balance(acct, "2026-07-03T00:00:00%2B08:00").get("total"));

        String before = LedgerTables.snapshot(Jdbi.create(dataSource));
        List<String> more = new ArrayList<>(thousand.subList(0, 1000));
        more.add(usageBody(newId("b-k"), acct, "CLI", "0.01", JUL_02));
        assertProblem(post(BatchBodies.USAGE, batch(more)), 400, "validation-failed", "events");
        assertProblem(post(BatchBodies.USAGE, batch(List.of())), 400, "validation-failed", "events");
        assertProblem(post(BatchBodies.USAGE, "{\"events\": {}}"), 400, "validation-failed", "events");
        assertProblem(post(BatchBodies.USAGE, "{}"), 400, "validation-failed", "events");
        assertProblem(post(BatchBodies.USAGE, "{\"events\": [], \"colour\": 1}"), 400, "validation-failed",
                "colour");
        assertProblem(post(BatchBodies.USAGE, "{\"events\": ["), 400, "validation-failed", null);
        assertProblem(post(BatchBodies.USAGE, "[1]"), 400, "validation-failed", null);
        assertProblem(post(BatchBodies.EVALUATE, "nope"), 400, "validation-failed", null);
        assertProblem(post(BatchBodies.USAGE, " ".repeat(2_100_000) + "{}"), 413, "payload-too-large", null);
        String analyst = newKey(newId("b-an"), "'analyst'", "'QODER_CN'");
        assertProblem(post(BatchBodies.USAGE, batch(thousand.subList(0, 1)), analyst), 403, "forbidden", null);
        assertProblem(post(BatchBodies.EVALUATE, batch(thousand.subList(0, 1)), analyst), 403, "forbidden", null);
        assertEquals(before, LedgerTables.snapshot(Jdbi.create(dataSource)), "a refused batch stored something");
    }

    @Test
    @DisplayName("hostile events in a batch get the problem each gets alone; the others are decided")
    void hostileItemsAnsweredAsAlone() {
        String acct = personalAccountWithPlanCredits("b-hostile");
        List<String> hostile = new ArrayList<>();
        for (String credits : List.of("1e2147483647", "1e-2147483647", "1e999999999", "\"1e999999999\"",
                "123456789012345678901234567890", "0.00000000000000000000001", "-5", "\"abc\"", "{}", "[1]",
                "true")) {
            hostile.add(usageBody(newId("b-hx"), acct, "CLI", credits, JUL_02));
        }
        for (String bad : List.of("\\u0000", "\\n", "\\u007f", "\\ud800")) {
            hostile.add(usageBody("r" + bad + newId("x"), acct, "CLI", "1", JUL_02));
            hostile.add(usageBody(newId("b-hm"), acct, "CLI", "1", JUL_02).replace("qwen3-coder", "q" + bad));
        }
        hostile.add(usageBody(newId("b-hl"), acct, "CLI", "1", JUL_02).replace("qwen3-coder", "m".repeat(600)));
        hostile.add(usageBody(newId("b-hd"), acct, "CLI", "1", JUL_02)
                .replace("\"CLI\"", "[".repeat(20) + "]".repeat(20)));
        hostile.add(usageBody(newId("b-ht"), acct, "CLI", "1", "2026-13-45T00:00:00Z"));
        hostile.add("[]");
        hostile.add("\"x\"");
        List<String> events = new ArrayList<>();
        String good = usageBody(newId("b-ok"), acct, "CLI", "2", JUL_02);
        events.add(good);
        events.addAll(hostile);
        String before = LedgerTables.snapshot(Jdbi.create(dataSource));

        JsonNode results = post(BatchBodies.USAGE, batch(events)).expect(200).get("results");
        assertEquals(200, results.get(0).get("status").asInt());
        for (int i = 1; i < events.size(); i++) {
            JsonNode slot = results.get(i);
            assertEquals(400, slot.get("status").asInt(), events.get(i));
            Reply a = alone(events.get(i));
            assertEquals(comparable(a.json()), comparable(slot.get("problem")), events.get(i));
        }
        String after = LedgerTables.snapshot(Jdbi.create(dataSource));
        assertFalse(before.equals(after), "the good event was stored");
        assertAmount("98", balance(acct, "2026-07-03T00:00:00%2B08:00").get("total"));

        // what the parser itself refuses (a number beyond BigDecimal, nesting past the bound) makes the body
        // unreadable: the whole batch is refused, as the body alone is, and nothing is stored
        for (String unreadable : List.of(usageBody(newId("b-u"), acct, "CLI", "1e2147483648", JUL_02),
                usageBody(newId("b-u"), acct, "CLI", "1", JUL_02).replace("\"CLI\"", "[".repeat(40)
                        + "]".repeat(40)))) {
            assertProblem(alone(unreadable), 400, "validation-failed", null);
            assertProblem(post(BatchBodies.USAGE, batch(List.of(good, unreadable))), 400, "validation-failed",
                    null);
        }
        assertEquals(after, LedgerTables.snapshot(Jdbi.create(dataSource)));
    }

    static List<Integer> statuses(JsonNode results) {
        List<Integer> s = new ArrayList<>();
        results.forEach(n -> s.add(n.get("status").asInt()));
        return s;
    }
}
