package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Lists page (SPEC section 9): limit, an opaque cursor, Link rel="next", newest first; the per-call ledger. */
@DisplayName("HTTP: lists page; GET /v1/accounts/{id}/usage-decisions")
class PagingApiTest extends ApiTestSupport {
    private static final Pattern NEXT = Pattern.compile("^<([^>]+)>; rel=\"next\"$");

    /** The next page's path from a reply's Link header; null when none remains. */
    private static String next(Reply page) {
        String link = page.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        assertTrue(m.matches(), link);
        assertTrue(m.group(1).startsWith("/v1/"), link);
        return m.group(1);
    }

    /** Every page of a list from {@code path}, as the pages' {@code field} values in order, and the page sizes. */
    private List<List<String>> walk(String path, String field, String key) {
        List<List<String>> pages = new ArrayList<>();
        for (String p = path; p != null && pages.size() < 100; ) {
            Reply r = get(p, key).expect(200);
            assertTrue(r.json().isArray(), r.response().body());
            pages.add(texts(r.json(), field));
            p = next(r);
        }
        return pages;
    }

    private static List<String> flat(List<List<String>> pages) {
        return pages.stream().flatMap(List::stream).toList();
    }

    private String decisions(String account) {
        return "/v1/accounts/" + account + "/usage-decisions";
    }

    private static String at(int day, int hour) {
        return String.format("2026-07-%02dT%02d:00:00+08:00", day, hour);
    }

    @Test
    @DisplayName("usage-decisions pages newest first with Link until none remains; ties at one instant are split "
            + "by request id; no page repeats or skips")
    void decisionsPageNewestFirst() {
        String id = personalAccountWithPlanCredits("pg");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String rid = newId("u" + i);
            usage(rid, id, "CLI", "1", at(3 + Math.min(i, 4), 10)).expect(200); // three calls share July 7th
            ids.add(rid);
        }
        List<List<String>> pages = walk(decisions(id) + "?limit=3", "requestId", ADMIN);
        assertEquals(List.of(3, 3, 1), pages.stream().map(List::size).toList());
        List<String> all = flat(pages);
        assertEquals(Set.copyOf(ids), Set.copyOf(all));
        assertEquals(7, new HashSet<>(all).size());
        List<String> expected = new ArrayList<>(ids.subList(4, 7));
        expected.sort(java.util.Comparator.reverseOrder()); // same instant: request id descending
        expected.addAll(List.of(ids.get(3), ids.get(2), ids.get(1), ids.get(0)));
        assertEquals(expected, all);
        // the default limit holds them all: one page, no Link
        Reply whole = get(decisions(id)).expect(200);
        assertEquals(7, whole.json().size());
        assertNull(whole.header("Link"));
    }

    @Test
    @DisplayName("a cursor is stable under inserts: decisions recorded between pages (newer, older, at the cursor's "
            + "instant) neither repeat nor push an earlier item out")
    void cursorStableUnderInserts() {
        String id = personalAccountWithPlanCredits("pg-ins");
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String rid = newId("b" + i);
            usage(rid, id, "CLI", "1", at(10 + i, 9)).expect(200);
            before.add(rid);
        }
        Reply first = get(decisions(id) + "?limit=2").expect(200);
        List<String> seen = new ArrayList<>(texts(first.json(), "requestId"));
        String last = first.json().get(1).get("requestId").asString();
        // inserted between pages: one newer than all, one older than all, one at the last item's instant
        usage(newId("new"), id, "CLI", "1", at(20, 9)).expect(200);
        usage(newId("old"), id, "CLI", "1", at(2, 9)).expect(200);
        usage(newId("tie"), id, "CLI", "1", at(14, 9)).expect(200);
        seen.addAll(flat(walk(next(first), "requestId", ADMIN)));
        assertEquals(seen.size(), new HashSet<>(seen).size(), () -> "repeated: " + seen);
        assertTrue(seen.containsAll(before), () -> "skipped: " + seen + " of " + before);
        assertEquals(List.of(before.get(5), before.get(4)), seen.subList(0, 2));
        assertEquals(last, before.get(4));
        assertTrue(seen.stream().noneMatch(s -> s.startsWith("new-")), "a newer item belongs before the cursor");
        assertTrue(seen.stream().anyMatch(s -> s.startsWith("old-")), "an older item is still ahead");
    }

    @Test
    @DisplayName("a bad limit or cursor is validation-failed naming the field, on every list")
    void badLimitOrCursor() {
        String id = personalAccountWithPlanCredits("pg-bad");
        for (String list : List.of(decisions(id), "/v1/accounts/" + id + "/lots", "/v1/accounts/" + id
                + "/credits-log", "/v1/accounts/" + id + "/plan-changes", "/v1/keys", "/v1/audit",
                "/v1/rules/history")) {
            for (String limit : List.of("0", "1001", "abc", "-1", "1.5")) {
                assertProblem(get(list + "?limit=" + limit), 400, "validation-failed", "limit");
            }
            for (String after : List.of("garbage!", "djF8fA", "eHh4", "djF8bm90LWFuLWluc3RhbnR8aWQ")) {
                assertProblem(get(list + "?after=" + after), 400, "validation-failed", "after");
            }
        }
        assertProblem(get(decisions(id) + "?status=LOST"), 400, "validation-failed", "status");
        assertProblem(get(decisions(id) + "?product=NOPE"), 400, "validation-failed", "product");
        assertProblem(get(decisions(id) + "?from=yesterday"), 400, "validation-failed", "from");
    }

    @Test
    @DisplayName("each decision is what GET /v1/usage/{id} answers: allocations, price, reversal; hold commits are "
            + "listed; filters by time, product and status")
    void decisionsAreTheStoredAnswers() {
        String id = personalAccountWithPlanCredits("pg-rec");
        String charged = newId("c");
        usage(charged, id, "CLI", "30", at(3, 10)).expect(200);
        String priced = newId("p");
        post("/v1/usage", PricingApiTest.tokensBody(priced, id, "qwen3-coder",
                "'inputTokens': 2000, 'cachedInputTokens': 8000, 'outputTokens': 1000")).expect(200);
        String reversed = newId("r");
        usage(reversed, id, "QODERWORK", "10", at(4, 10)).expect(200);
        post("/v1/usage/" + reversed + "/reversal", json("{'at': '" + at(6, 10) + "', 'reason': 'mistake'}"))
                .expect(200);
        String hold = newId("h");
        post("/v1/holds", json("{'holdId': '" + hold + "', 'accountId': '" + id + "', 'product': 'CLI', "
                + "'feature': 'QUEST_AGENT', 'model': 'qwen3-coder', 'credits': 5, 'occurredAt': '" + at(8, 10)
                + "'}")).expect(200);
        post("/v1/holds/" + hold + "/commit", json("{'outcome': 'SUCCEEDED', 'credits': 4, 'occurredAt': '"
                + "2026-07-08T10:05:00+08:00'}")).expect(200);
        String refused = newId("i");
        usage(refused, id, "CLI", "1000", at(9, 10)).expect(200);

        JsonNode list = get(decisions(id)).expect(200).json();
        assertEquals(List.of(refused, hold, priced, reversed, charged), texts(list, "requestId"));
        for (JsonNode d : list) {
            // the decision as GET /v1/usage/{id} answers it, and its call's facts beside it
            tools.jackson.databind.node.ObjectNode decision = ((tools.jackson.databind.node.ObjectNode) d).deepCopy();
            for (String call : List.of("occurredAt", "product", "feature", "model")) {
                assertNotNull(decision.remove(call), call);
            }
            assertEquals(get("/v1/usage/" + d.get("requestId").asString()).expect(200).json(), decision);
        }
        assertEquals(List.of("CLI", "QODERWORK"), List.of(list.get(0).get("product").asString(),
                list.get(3).get("product").asString()));
        assertEquals(java.time.OffsetDateTime.parse(at(4, 10)).toInstant(),
                java.time.Instant.parse(list.get(3).get("occurredAt").asString()));
        assertNotNull(list.get(2).get("price"));
        assertEquals("REVERSED", list.get(3).get("reversal").get("status").asString());
        assertEquals(id + "-plan", list.get(4).get("allocations").get(0).get("lotId").asString());
        assertEquals("PLAN", list.get(4).get("allocations").get(0).get("type").asString());

        assertEquals(List.of(refused), texts(get(decisions(id) + "?status=INSUFFICIENT").json(), "requestId"));
        assertEquals(List.of(reversed), texts(get(decisions(id) + "?product=QODERWORK").json(), "requestId"));
        assertEquals(List.of(priced, reversed), texts(get(decisions(id) + "?from=" + at(4, 10).replace("+", "%2B")
                + "&to=" + at(8, 10).replace("+", "%2B")).json(), "requestId"));
        assertProblem(get(decisions(newId("nobody"))), 404, "unknown-account", "accountId");
    }

    @Test
    @DisplayName("a viewer token reads its account's decisions, not another's (403); a QODER key gets 404")
    void viewersReadTheirOwnDecisions() {
        String id = personalAccountWithPlanCredits("pg-view");
        String other = personalAccountWithPlanCredits("pg-view-o");
        usage(newId("v"), id, "CLI", "1", at(3, 10)).expect(200);
        String token = post("/v1/accounts/" + id + "/viewer-tokens", json("{'ttlSeconds': 60}")).expect(201)
                .text("token");
        assertEquals(1, get(decisions(id), token).expect(200).json().size());
        assertProblem(get(decisions(other), token), 403, "forbidden", null);
        String qoder = newKey(newId("q"), "'service'", "'QODER'");
        assertProblem(get(decisions(id), qoder), 404, "unknown-account", "accountId");
    }

    @Test
    @DisplayName("lots, credits log, plan changes, keys, audit and rules history page the same way")
    void everyListPages() {
        String id = personalAccountWithPlanCredits("pg-all");
        for (int i = 0; i < 3; i++) {
            grant(id, id + "-pack" + i, "PURCHASE", "5", AUG_01).expect(201);
        }
        post("/v1/accounts/" + id + "/plan-changes", json("{'toPlan': 'PERSONAL_COMMUNITY', 'at': '" + at(10, 0)
                + "', 'kind': 'DOWNGRADE'}")).expect(201);
        post("/v1/accounts/" + id + "/lots/" + id + "-pack0/void", json("{'at': '" + at(11, 0)
                + "', 'reason': 'refund'}")).expect(200);
        newKey(newId("pg-k1"), "'service'", "'QODER'");
        newKey(newId("pg-k2"), "'service'", "'QODER'");
        post("/v1/rules/reload", "").expect(200);
        post("/v1/rules/reload", "").expect(200);
        record ListCase(String path, String field, int atLeast) {
        }
        for (ListCase c : List.of(new ListCase("/v1/accounts/" + id + "/lots", "lotId", 4),
                new ListCase("/v1/accounts/" + id + "/credits-log", "lotId", 4),
                new ListCase("/v1/accounts/" + id + "/plan-changes", "at", 2),
                new ListCase("/v1/keys", "name", 3), new ListCase("/v1/audit", "id", 6),
                new ListCase("/v1/rules/history", "id", 2))) {
            Reply whole = get(c.path() + "?limit=1000").expect(200);
            List<List<String>> pages = walk(c.path() + "?limit=1", c.field(), ADMIN);
            assertTrue(pages.size() >= c.atLeast(), () -> c.path() + ": " + pages);
            assertTrue(pages.stream().allMatch(p -> p.size() == 1), c::path);
            if (pages.size() < 100) { // walked to the end: the same items in the same order as one page
                assertEquals(texts(whole.json(), c.field()), flat(pages), c::path);
            }
        }
        // newest first where time orders: the last grant's lot before the first's
        List<String> lots = texts(get("/v1/accounts/" + id + "/lots").json(), "lotId");
        assertTrue(lots.indexOf(id + "-pack2") < lots.indexOf(id + "-plan"), lots::toString);
    }
}
