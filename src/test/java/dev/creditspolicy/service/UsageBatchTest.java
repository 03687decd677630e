package dev.creditspolicy.service;

import static dev.creditspolicy.service.ServiceFixture.assertAmount;
import static dev.creditspolicy.service.ServiceFixture.body;
import static dev.creditspolicy.service.ServiceFixture.usageBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.BatchRunner.Outcome;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/**
 * Group commit (issue 17): usage requests decided and stored several to a transaction must be decided exactly as
 * they would be one at a time, and one request must not fail the others.
 */
@DisplayName("Usage batches: several requests in one transaction, decided as if one at a time")
class UsageBatchTest {
    private static final String JUL_01 = "2026-07-01T00:00:00+08:00";
    private static final String AUG_01 = "2026-08-01T00:00:00+08:00";
    private static final List<String> PRODUCTS = List.of("IDE", "CLI", "JETBRAINS", "QODERWORK", "MOBILE");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ServiceFixture f = fixture("usage_batch", meters);

    private static ServiceFixture fixture(String label, SimpleMeterRegistry meters) {
        return new ServiceFixture(CreditsServices.of(new Store(TestDatabases.fresh(label)), TestServices.rules(),
                Clock.fixed(TestServices.NOW, ZoneOffset.UTC), meters));
    }

    private static void accounts(ServiceFixture f) {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "alice-plan", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        f.grant("alice", "alice-pack", "PURCHASE", "50", JUL_01, "2026-12-31T00:00:00+08:00");
        f.account("bob", "QODER", "PERSONAL_PRO", JUL_01);
        f.cycle("bob", "bob-plan", "PERSONAL_PRO", JUL_01, AUG_01, "30");
        f.account("corp", "QODER", "ENTERPRISE_TEAMS", JUL_01);
        f.cycle("corp", "corp-plan", "ENTERPRISE_TEAMS", JUL_01, AUG_01, "80");
    }

    private List<Outcome<ExplainedDecision>> batch(ServiceFixture on, List<ObjectNode> bodies) {
        List<Usage> cmds = bodies.stream().map(b -> Kinds.USAGE.parse(null, b)).toList();
        return on.services.usage().recordAll(cmds);
    }

    /** The batches were decided in their own transaction: no request was saved by trying it alone. */
    private void assertNoFallback() {
        assertEquals(0.0, meters.get("credits.usage.batch.fallbacks").counter().count(), "batches retried one by one");
    }

    private static ObjectNode use(String id, String account, String credits, String at) {
        return usageBody(id, account, "CLI", credits, at);
    }

    /** What a caller sees of an outcome: the decision and whether it was a replay, or the problem's slug. */
    private static String seen(Outcome<ExplainedDecision> o) {
        if (o.failure() != null) {
            return o.failure() instanceof Problem p ? "problem " + p.slug() : "error " + o.failure();
        }
        return (o.answer().replayed() ? "replayed " : "") + o.answer().body().decision();
    }

    private static String seenAlone(ServiceFixture on, Usage cmd) {
        try {
            var a = on.services.usage().record(cmd, false);
            return (a.replayed() ? "replayed " : "") + a.body().decision();
        } catch (Problem p) {
            return "problem " + p.slug();
        }
    }

    /**
     * A seeded mix of 120 requests over three accounts and a missing one: several products, failed calls, calls
     * beyond the balance, retries of earlier ids (in other forms, and with other bodies), realm mismatches, calls
     * priced from tokens and a model without price.
     */
    private static List<ObjectNode> mixedRequests(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ObjectNode> bodies = new ArrayList<>();
        List<String> accounts = List.of("alice", "alice", "bob", "corp", "nobody");
        for (int i = 0; i < 120; i++) {
            String account = accounts.get(random.nextInt(accounts.size()));
            String at = "2026-07-" + String.format("%02d", 2 + random.nextInt(25)) + "T10:00:00+08:00";
            String product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
            String credits = random.nextInt(1, 120) + "." + random.nextInt(10);
            int kind = random.nextInt(20);
            ObjectNode b;
            if (kind < 3 && !bodies.isEmpty()) {
                b = bodies.get(random.nextInt(bodies.size())).deepCopy(); // a retry, same body
            } else if (kind < 5 && !bodies.isEmpty()) {
                b = bodies.get(random.nextInt(bodies.size())).deepCopy();
                b.put("occurredAt", "2026-07-28T10:00:00+08:00"); // the same id with another body
            } else {
                String outcome = kind == 5 ? "FAILED" : "SUCCEEDED";
                b = usageBody("r" + i, account, product, "EDITOR_AGENT", "qwen3-coder", outcome, credits, at);
                if (kind == 6) {
                    b.put("realm", account.equals("alice") ? "QODER" : "QODER_CN");
                } else if (kind == 7 || kind == 8) {
                    b.remove("credits");
                    b.put("inputTokens", random.nextInt(1, 40_000));
                    b.put("outputTokens", random.nextInt(0, 8_000));
                    if (kind == 8) {
                        b.put("model", "no-such-model");
                    }
                }
            }
            bodies.add(b);
        }
        return bodies;
    }

    @Test
    @DisplayName("120 mixed requests in batches of 1 to 40 get the answers, and leave the ledger, that they do one at a "
            + "time")
    void batchesDecideAsOneAtATime() {
        long seed = Long.getLong("credits.test.seed", System.nanoTime());
        List<ObjectNode> bodies = mixedRequests(seed);
        ServiceFixture alone = fixture("usage_batch_alone", new SimpleMeterRegistry());
        accounts(alone);
        accounts(f);

        List<String> expected = bodies.stream().map(b -> seenAlone(alone, Kinds.USAGE.parse(null, b))).toList();
        List<String> actual = ServiceFixture.inBatches(bodies, new int[] {1, 5, 17, 40, 2, 40, 15},
                b -> batch(f, b)).stream().map(UsageBatchTest::seen).toList();

        assertEquals(expected, actual, "answers, seed " + seed);
        assertEquals(alone.snapshot(), f.snapshot(), "the ledger, seed " + seed);
        assertNoFallback();
        assertTrue(expected.stream().anyMatch(s -> s.startsWith("replayed")), "the mix has replays");
        assertTrue(expected.stream().anyMatch(s -> s.contains("INSUFFICIENT")), "the mix has INSUFFICIENT calls");
        assertTrue(expected.contains("problem " + Problem.UNKNOWN_MODEL), "the mix has an unknown model");
        assertTrue(expected.contains("problem idempotency-conflict"), "the mix has conflicting retries");
    }

    @Test
    @DisplayName("the same account twice in one batch: the second request sees what the first drew")
    void secondSeesTheFirst() {
        accounts(f);
        List<Outcome<ExplainedDecision>> out = batch(f, List.of(use("r1", "bob", "20", "2026-07-05T10:00:00+08:00"),
                use("r2", "bob", "20", "2026-07-05T11:00:00+08:00"),
                use("r3", "bob", "10", "2026-07-05T12:00:00+08:00")));

        assertEquals(Status.CHARGED, out.get(0).answer().body().decision().status());
        assertEquals(Status.INSUFFICIENT, out.get(1).answer().body().decision().status());
        assertAmount("10", out.get(1).answer().body().decision().shortfall());
        assertEquals(Status.CHARGED, out.get(2).answer().body().decision().status());
        assertAmount("0", out.get(2).answer().body().decision().balanceAfter());
        assertAmount("0", f.remaining("bob", "bob-plan"));
        assertNoFallback();
    }

    @Test
    @DisplayName("refused requests in a batch get their own problem and store nothing; the others are stored")
    void refusalsStayTheirOwn() {
        accounts(f);
        ObjectNode tokensUnpriced = use("r-model", "alice", "1", "2026-07-05T10:00:00+08:00");
        tokensUnpriced.remove("credits");
        tokensUnpriced.put("inputTokens", 1000);
        tokensUnpriced.put("outputTokens", 10);
        tokensUnpriced.put("model", "no-such-model");
        ObjectNode wrongRealm = use("r-realm", "alice", "1", "2026-07-05T10:00:00+08:00");
        wrongRealm.put("realm", "QODER");

        List<Outcome<ExplainedDecision>> out = batch(f, List.of(use("r1", "alice", "10", "2026-07-05T10:00:00+08:00"),
                use("r-nobody", "nobody", "10", "2026-07-05T10:00:00+08:00"),
                use("r1", "alice", "11", "2026-07-05T10:00:00+08:00"),
                tokensUnpriced, wrongRealm,
                use("r1", "alice", "10.000", "2026-07-05T02:00:00Z"),
                use("r2", "bob", "5", "2026-07-05T10:00:00+08:00")));

        assertEquals(List.of("CHARGED", "problem unknown-account", "problem idempotency-conflict",
                        "problem unknown-model", "problem realm-mismatch", "replayed CHARGED", "CHARGED"),
                out.stream().map(o -> o.failure() != null ? seen(o).replaceAll("^(problem \\S+).*", "$1")
                        : (o.answer().replayed() ? "replayed " : "") + o.answer().body().decision().status())
                        .toList());
        assertEquals(out.get(0).answer().body(), out.get(5).answer().body(), "the replay answers the first answer");
        assertEquals(2, f.rows("usage_decisions"));
        assertAmount("90", f.remaining("alice", "alice-plan"));
        assertAmount("25", f.remaining("bob", "bob-plan"));
        assertNoFallback();
    }

    @Test
    @DisplayName("a database error fails the batch's transaction; then each request is tried alone and only the "
            + "offending one fails")
    void databaseErrorFallsBackToOneByOne() {
        accounts(f);
        // a constraint the policy knows nothing of: the insert of that one decision fails in the database
        f.services.store().jdbi().useHandle(h -> h.execute(
                "ALTER TABLE usage_decisions ADD CONSTRAINT test_poison CHECK (model <> 'poison')"));
        ObjectNode poison = use("r-poison", "bob", "5", "2026-07-05T10:00:00+08:00");
        poison.put("model", "poison");

        List<Outcome<ExplainedDecision>> out = batch(f, List.of(use("r1", "alice", "10", "2026-07-05T10:00:00+08:00"), poison,
                use("r2", "bob", "5", "2026-07-05T10:00:00+08:00")));

        assertEquals(Status.CHARGED, out.get(0).answer().body().decision().status());
        assertNotNull(out.get(1).failure(), "the poisoned request fails");
        assertFalse(out.get(1).failure() instanceof Problem, "with the database's error, not a policy problem");
        assertNotNull(Store.sqlState(out.get(1).failure()));
        assertEquals(Status.CHARGED, out.get(2).answer().body().decision().status());
        assertEquals(2, f.rows("usage_decisions"));
        assertAmount("25", f.remaining("bob", "bob-plan"));
        assertEquals(1.0, meters.get("credits.usage.batch.fallbacks").counter().count());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("through the batcher: 12 callers at once are each answered once, in batches, and closing it answers "
            + "what is still queued")
    void batcherAnswersEveryCaller() throws Exception {
        accounts(f);
        UsageBatcher batcher = f.services.usage().startBatching(1, 8);
        ExecutorService callers = Executors.newFixedThreadPool(12);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            int n = i;
            answers.add(callers.submit(() -> seenAlone(f, Kinds.USAGE.parse(null,
                    use("c" + n, n % 2 == 0 ? "alice" : "corp", "0.5", "2026-07-05T10:00:00+08:00")))));
            if (i == 200) {
                callers.submit(batcher::close); // closes while callers still send: none may be left waiting
            }
        }
        callers.shutdown();
        int charged = 0;
        for (Future<String> a : answers) {
            String s = a.get(30, TimeUnit.SECONDS);
            assertTrue(s.contains("CHARGED"), s);
            charged++;
        }
        assertEquals(240, charged);
        assertEquals(240, f.rows("usage_decisions"));
        var sizes = meters.get("credits.usage.batch.size").summary();
        assertTrue(sizes.totalAmount() > sizes.count(), "some batch held more than one request: " + sizes.count()
                + " batches for " + sizes.totalAmount() + " requests");
        assertAmount("40", f.remaining("alice", "alice-plan"));
        assertAmount("20", f.remaining("corp", "corp-plan"));
        assertNoFallback();
    }
}
