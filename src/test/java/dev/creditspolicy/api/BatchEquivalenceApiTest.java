package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 27: the same seeded events, sent one by one to {@code POST /v1/usage} on one set of accounts and as batches
 * to {@code POST /v1/usage/batch} on an identical set, get the same answer each (status, replay, decision or
 * problem) and leave the same ledger (lots' remaining, decisions, allocations, prices, account events). The mix holds
 * valid calls, calls beyond the balance, failed calls, calls priced from tokens, an unpriced model, a realm mismatch,
 * accounts unknown or of a realm the key may not see, malformed events, and ids repeated within and across batches,
 * with the same body and with another. The seed is random (printed with a failure); {@code -Dcredits.test.seed} fixes it.
 */
@DisplayName("Batches answer and store exactly as the same events sent one by one")
class BatchEquivalenceApiTest extends ApiTestSupport {
    private static final List<String> PRODUCTS = List.of("IDE", "CLI", "JETBRAINS", "QODERWORK", "MOBILE");
    private static final List<String> FEATURES = List.of("EDITOR_AGENT", "QUEST_AGENT", "QUEST_EXPERTS");
    /** Each side's accounts; "@" stands for the side's prefix. cn is QODER_CN (hidden from the key), nobody is none. */
    private static final List<String> ACCOUNTS = List.of("@alice", "@alice", "@bob", "@corp", "@cn", "@nobody");

    @Autowired
    DataSource dataSource;

    @Test
    @DisplayName("400 seeded mixed events: batches of 1 to 150 give the answers and the ledger of one by one")
    void batchesEqualOneByOne() {
        long seed = Long.getLong("credits.test.seed", System.nanoTime());
        String run = newId("eq").replace("-", "");
        String alone = "A" + run + "-";
        String batched = "B" + run + "-";
        accounts(alone);
        accounts(batched);
        String key = newKey(newId("eq-svc"), "'service'", "'QODER'");
        List<String> events = workload(new SplittableRandom(seed), 400);

        List<String> expected = new ArrayList<>();
        for (String e : events) {
            Reply r = post("/v1/usage", e.replace("@", alone), key);
            JsonNode body = r.status() == 200 ? r.json() : BatchApiTest.comparable(r.json());
            expected.add(seen(r.status(), r.status() == 200 ? r.header(Responses.REPLAYED) : "-", body, alone));
        }
        List<String> actual = new ArrayList<>();
        SplittableRandom sizes = new SplittableRandom(seed + 1);
        int batches = 0;
        for (int from = 0; from < events.size(); batches++) {
            int to = Math.min(events.size(), from + 1 + sizes.nextInt(150));
            List<String> chunk = events.subList(from, to).stream().map(e -> e.replace("@", batched)).toList();
            JsonNode results = post(BatchBodies.USAGE, BatchApiTest.batch(chunk), key).expect(200).get("results");
            assertEquals(chunk.size(), results.size());
            for (JsonNode slot : results) {
                int status = slot.get("status").asInt();
                actual.add(seen(status, status == 200 ? slot.get("replayed").asString() : "-",
                        status == 200 ? slot.get("decision") : BatchApiTest.comparable(slot.get("problem")),
                        batched));
            }
            from = to;
        }

        for (int i = 0; i < events.size(); i++) {
            int n = i;
            assertEquals(expected.get(i), actual.get(i), () -> "event " + n + " " + events.get(n) + ", seed " + seed);
        }
        assertEquals(ledger(alone), ledger(batched), "the ledger, seed " + seed);
        assertTrue(batches > 3, "several batches");
        for (String kind : List.of("200|true|", "409|", "404|", "422|", "400|", "INSUFFICIENT", "FAILED_CALL",
                "\"price\"")) {
            assertTrue(expected.stream().anyMatch(s -> s.contains(kind)), () -> "the mix has " + kind + ", seed "
                    + seed);
        }
    }

    private void accounts(String prefix) {
        createAccount(prefix + "alice", "QODER", "PERSONAL_PRO").expect(201);
        cycle(prefix + "alice", prefix + "alice-plan", "PERSONAL_PRO", "300").expect(201);
        grant(prefix + "alice", prefix + "alice-pack", "PURCHASE", "50", "2026-12-31T00:00:00+08:00").expect(201);
        createAccount(prefix + "bob", "QODER", "PERSONAL_PRO").expect(201);
        cycle(prefix + "bob", prefix + "bob-plan", "PERSONAL_PRO", "60").expect(201);
        createAccount(prefix + "corp", "QODER", "ENTERPRISE_TEAMS").expect(201);
        cycle(prefix + "corp", prefix + "corp-plan", "ENTERPRISE_TEAMS", "200").expect(201);
        createAccount(prefix + "cn", "QODER_CN", "PERSONAL_PRO").expect(201);
        cycle(prefix + "cn", prefix + "cn-plan", "PERSONAL_PRO", "100").expect(201);
    }

    /** What a caller sees of one event: status, replay, and the decision or problem, with the side's prefix as "@". */
    private static String seen(int status, String replayed, JsonNode body, String prefix) {
        return (status + "|" + replayed + "|" + body).replace(prefix, "@");
    }

    /** Seeded usage bodies, "@" before every account and request id. */
    static List<String> workload(SplittableRandom random, int n) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(32);
            String account = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
            String at = "2026-07-" + String.format("%02d", 2 + random.nextInt(25)) + "T10:00:00+08:00";
            String credits = random.nextInt(1, 25) + "." + random.nextInt(10);
            String id = "@r" + i;
            String e;
            if (kind < 3 && !events.isEmpty()) {
                e = events.get(random.nextInt(events.size())); // a retry: the same body, near or far
            } else if (kind < 5 && !events.isEmpty()) {
                // the same id with another body
                e = events.get(Math.max(0, events.size() - 1 - random.nextInt(20)))
                        .replaceFirst("T10:00:00\\+08:00", "T11:00:00+08:00");
            } else {
                String product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
                String feature = FEATURES.get(random.nextInt(FEATURES.size()));
                String outcome = kind == 5 ? "FAILED" : "SUCCEEDED";
                String cost = switch (kind) {
                    case 7, 8 -> "'inputTokens': " + random.nextInt(1, 40_000) + ", 'outputTokens': "
                            + random.nextInt(0, 8_000);
                    case 9 -> "'inputTokens': 1000, 'outputTokens': 10";
                    case 12 -> "'credits': -5";
                    case 16 -> "'credits': 900";
                    default -> "'credits': " + credits;
                };
                String extra = switch (kind) {
                    case 6 -> ", 'realm': 'QODER_CN'";
                    case 10 -> ", 'colour': 'red'";
                    default -> "";
                };
                e = json("{" + (kind == 13 ? "" : "'requestId': '" + id + (kind == 15 ? "\\u0007" : "") + "', ")
                        + "'accountId': '" + account + "', 'product': '" + (kind == 11 ? "VSCODE" : product)
                        + "', 'feature': '" + feature + "', 'model': '" + (kind == 9 ? "no-such-model" : "qwen3-coder")
                        + "', 'outcome': '" + outcome + "', " + cost + ", 'occurredAt': '" + at + "'" + extra + "}");
                if (kind == 14) {
                    e = "42";
                }
            }
            events.add(e);
        }
        return events;
    }

    /** One side's ledger, its prefix written "@": lots, decisions, allocations, prices, account events, events. */
    private String ledger(String prefix) {
        String like = prefix + "%";
        return Jdbi.create(dataSource).withHandle(h -> String.join("\n",
                h.createQuery("SELECT lot_id, amount, remaining, expires_at FROM lots WHERE account_id LIKE :p "
                        + "ORDER BY lot_id").bind("p", like).mapToMap().list().toString(),
                h.createQuery("SELECT request_id, account_id, realm, product, feature, model, outcome, credits, "
                        + "occurred_at, plan, status, reason, charged, shortfall, balance_after, rules_version, "
                        + "fired_rules FROM usage_decisions WHERE account_id LIKE :p ORDER BY request_id")
                        .bind("p", like).mapToMap().list().toString(),
                h.createQuery("SELECT a.request_id, a.seq, a.lot_id, a.lot_type, a.amount FROM allocations a "
                        + "JOIN usage_decisions d ON d.request_id = a.request_id WHERE d.account_id LIKE :p "
                        + "ORDER BY a.request_id, a.seq").bind("p", like).mapToMap().list().toString(),
                h.createQuery("SELECT p.request_id, p.input_tokens, p.cached_input_tokens, p.output_tokens, "
                        + "p.breakdown FROM usage_prices p JOIN usage_decisions d ON d.request_id = p.request_id "
                        + "WHERE d.account_id LIKE :p ORDER BY p.request_id").bind("p", like).mapToMap().list()
                        .toString(),
                h.createQuery("SELECT account_id, kind, ref FROM account_events WHERE account_id LIKE :p "
                        + "ORDER BY event_id").bind("p", like).mapToMap().list().toString(),
                // the events raised (issue 28), in the order raised, and the alert state they leave
                h.createQuery("SELECT account_id, type, subject, occurred_at, data FROM events WHERE account_id "
                        + "LIKE :p ORDER BY seq").bind("p", like).mapToMap().list().toString(),
                h.createQuery("SELECT account_id, credits, available, low FROM event_balances WHERE account_id "
                        + "LIKE :p ORDER BY account_id, credits").bind("p", like).mapToMap().list().toString()))
                .replace(prefix, "@");
    }
}
