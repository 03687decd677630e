package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.creditspolicy.ledger.LedgerTables;

/**
 * Ids (SPEC section 8, additions of 2026-12): account, lot, request and hold ids are 1 to 128 characters of
 * {@code A-Z a-z 0-9 . _ : @ -}, not starting with '.'; anything else is refused naming the field, and every id that
 * can be created serves every path that names it (read, void, reverse, commit, release, viewer tokens), written
 * as is or URL-encoded.
 */
@DisplayName("HTTP: ids have one syntax, and every id that can be created can be used in a path")
class IdsApiTest extends ApiTestSupport {
    private static final String AT = "2026-07-05T10:00:00+08:00";
    /** Ids a path could not carry (or could carry only as something else), and ids outside the allow-list. */
    private static final List<String> BAD = List.of("a/b", "a\\\\b", "a%b", "a;b", "..", ".", ".a", "a|b", "a b",
            "a?b", "a#b", "a+b", "é", "a\\u0000b", "x".repeat(129));

    @Autowired
    DataSource dataSource;

    /** Each id field of each request that names one, as a body with that field set to {@code id}. */
    private Map<String, Function<String, Call>> idFields(String account) {
        return Map.of(
                "accountId (account)", id -> new Call("/v1/accounts", json("{'accountId': '" + id + "', 'realm': "
                        + "'QODER_CN', 'plan': 'PERSONAL_PRO', 'at': '" + JUL_01 + "'}")),
                "lotId (cycle)", id -> new Call("/v1/accounts/" + account + "/cycles", json("{'lotId': '" + id
                        + "', 'plan': 'PERSONAL_PRO', 'start': '" + JUL_01 + "', 'end': '" + AUG_01
                        + "', 'credits': 1}")),
                "lotId (grant)", id -> new Call("/v1/accounts/" + account + "/lots", json("{'lotId': '" + id
                        + "', 'source': 'PURCHASE', 'amount': 1, 'effectiveAt': '" + JUL_02 + "', 'expiresAt': '"
                        + AUG_01 + "', 'reason': 'pack'}")),
                "requestId (usage)", id -> new Call("/v1/usage", usageBody(id, account, "CLI", "1", JUL_02)),
                "accountId (usage)", id -> new Call("/v1/usage", usageBody(newId("u"), id, "CLI", "1", JUL_02)),
                "requestId (evaluate)", id -> new Call("/v1/evaluate", usageBody(id, account, "CLI", "1", JUL_02)),
                "holdId (hold)", id -> new Call("/v1/holds", holdBody(id, account)),
                "accountId (hold)", id -> new Call("/v1/holds", holdBody(newId("h"), id)));
    }

    private record Call(String path, String body) {
    }

    private static String holdBody(String holdId, String account) {
        return json("{'holdId': '" + holdId + "', 'accountId': '" + account + "', 'product': 'CLI', 'feature': "
                + "'QUEST_AGENT', 'model': 'qwen3-coder', 'credits': 5, 'occurredAt': '" + AT + "'}");
    }

    @Test
    @DisplayName("an id outside the syntax is validation-failed naming its field, in every request, and stores nothing")
    void idsOutsideTheSyntaxAreRefused() {
        String account = personalAccountWithPlanCredits("ids");
        Jdbi jdbi = Jdbi.create(dataSource);
        String before = LedgerTables.snapshot(jdbi);
        idFields(account).forEach((what, call) -> {
            String field = what.substring(0, what.indexOf(' '));
            for (String bad : BAD) {
                Call c = call.apply(bad);
                Reply r = post(c.path(), c.body());
                assertEquals(400, r.status(), () -> what + " '" + bad + "': " + r.response().body());
                assertProblem(r, 400, "validation-failed", field);
            }
        });
        assertEquals(before, LedgerTables.snapshot(jdbi), "a refused id stored something");
    }

    @Test
    @DisplayName("ids of every allowed character (a.b:c@d-e_f, a..b., 128 characters) serve every path, raw or "
            + "URL-encoded")
    void idsOfEveryAllowedCharacterServeEveryPath() {
        String tail = UUID.randomUUID().toString().substring(0, 8);
        String account = "a.b:c@d-e_f.." + tail + ".";
        String plan = ("L:" + tail + "@x.y-z_").repeat(16).substring(0, 128);
        String pack = "P.b:c@d-e_f" + tail;
        createAccount(account, "QODER_CN", "PERSONAL_PRO").expect(201);
        assertEquals(plan, cycle(account, plan, "PERSONAL_PRO", "100").expect(201).text("lotId"));
        grant(account, pack, "PURCHASE", "5", AUG_01).expect(201);
        String token = post("/v1/accounts/" + enc(account) + "/viewer-tokens", json("{'ttlSeconds': 600}"))
                .expect(201).text("token");
        for (String a : List.of(account, enc(account))) {
            assertEquals(account, get("/v1/accounts/" + a).expect(200).text("accountId"));
            for (String read : List.of("/balance", "/lots", "/credits-log", "/usage", "/subscription")) {
                get("/v1/accounts/" + a + read).expect(200);
                get("/v1/accounts/" + a + read, token).expect(200);
            }
            get("/v1/accounts/" + a + "/plan-changes").expect(200);
        }

        String requestId = "R.b:c@d-e_f" + tail;
        usage(requestId, account, "CLI", "1", JUL_02).expect(200);
        assertEquals(requestId, get("/v1/usage/" + requestId).expect(200).text("requestId"));
        get("/v1/usage/" + enc(requestId)).expect(200);
        post("/v1/usage/" + enc(requestId) + "/reversal", json("{'at': '2026-07-03T00:00:00+08:00', "
                + "'reason': 'by mistake'}")).expect(200);
        post("/v1/accounts/" + account + "/lots/" + enc(pack) + "/void", json("{'at': '" + AT + "', "
                + "'reason': 'refunded'}")).expect(200);

        String committed = "H.b:c@d-e_f" + tail;
        String released = "H2:x@y.z-" + tail;
        post("/v1/holds", holdBody(committed, account)).expect(200);
        post("/v1/holds", holdBody(released, account)).expect(200);
        post("/v1/holds/" + committed + "/commit", json("{'outcome': 'SUCCEEDED', 'credits': 3, 'occurredAt': '"
                + "2026-07-05T10:01:00+08:00'}")).expect(200);
        post("/v1/holds/" + enc(released) + "/release", json("{'occurredAt': '2026-07-05T10:01:00+08:00'}"))
                .expect(200);
        assertEquals("COMMITTED", get("/v1/holds/" + enc(committed)).expect(200).text("state"));
        assertEquals("RELEASED", get("/v1/holds/" + released).expect(200).text("state"));
    }

    /** Lot, request and hold ids are global: one taken in a realm the key cannot see is 409, naming nothing of it. */
    @Test
    @DisplayName("a lot, request or hold id taken in a realm the key cannot see is a 409 that names nothing of it")
    void idsTakenInAnotherRealmAreConflictsThatNameNothingOfIt() {
        String cn = personalAccountWithPlanCredits("cn-ids");
        String lot = newId("cn-lot");
        grant(cn, lot, "PURCHASE", "5", AUG_01).expect(201);
        String request = newId("cn-req");
        String hold = newId("cn-hold");
        usage(request, cn, "CLI", "7", JUL_02).expect(200);
        post("/v1/holds", holdBody(hold, cn)).expect(200);
        String qoder = newKey(newId("q-op"), "'operator'", "'QODER'");
        String mine = newId("q-acct");
        post("/v1/accounts", json("{'accountId': '" + mine + "', 'realm': 'QODER', 'plan': 'PERSONAL_COMMUNITY', "
                + "'at': '" + JUL_01 + "'}"), qoder).expect(201);
        Map<String, Function<String, Call>> fields = idFields(mine);
        List<Call> reuses = List.of(fields.get("lotId (grant)").apply(lot), fields.get("lotId (cycle)").apply(lot),
                fields.get("requestId (usage)").apply(request), fields.get("requestId (usage)").apply(hold),
                fields.get("holdId (hold)").apply(hold), fields.get("holdId (hold)").apply(request));
        Jdbi jdbi = Jdbi.create(dataSource);
        for (Call c : reuses) {
            String before = LedgerTables.snapshot(jdbi);
            Reply r = post(c.path(), c.body(), qoder);
            assertEquals(409, r.status(), () -> c + ": " + r.response().body());
            for (String leak : List.of("QODER_CN", cn, "PERSONAL_PRO", "\"7", "credit pack")) {
                assertFalse(r.response().body().contains(leak), () -> c + " leaks " + leak + ": "
                        + r.response().body());
            }
            assertEquals(before, LedgerTables.snapshot(jdbi), () -> c + " stored something");
        }
    }

    /** The id as java.net.URLEncoder writes it: '@' and ':' escaped ({@code %40}, {@code %3A}). */
    private static String enc(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
