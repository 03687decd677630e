package dev.creditspolicy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.service.Commands.Commit;
import dev.creditspolicy.service.Commands.Hold;
import dev.creditspolicy.service.Commands.HoldCommand;
import dev.creditspolicy.service.Commands.Release;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/**
 * Group commit of holds: holds, commits and releases run several to a transaction must get the answers, and leave
 * the ledger, that they would one at a time; one refused must leave nothing behind and not fail the others.
 */
@DisplayName("Hold batches: holds, commits and releases in one transaction, as if one at a time")
class HoldBatchTest {
    private static final String JUL_01 = "2026-07-01T00:00:00+08:00";
    private static final String AUG_01 = "2026-08-01T00:00:00+08:00";
    private static final Instant START = Instant.parse("2026-07-05T02:00:00Z");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static ServiceFixture fixture(String label) {
        return fixture(label, new SimpleMeterRegistry());
    }

    private static ServiceFixture fixture(String label, SimpleMeterRegistry meters) {
        ServiceFixture f = new ServiceFixture(CreditsServices.of(new Store(TestDatabases.fresh(label)),
                TestServices.rules(), Clock.fixed(TestServices.NOW, ZoneOffset.UTC), meters));
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "alice-plan", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        f.grant("alice", "alice-pack", "PURCHASE", "50", JUL_01, "2026-12-31T00:00:00+08:00");
        f.account("bob", "QODER", "PERSONAL_PRO", JUL_01);
        f.cycle("bob", "bob-plan", "PERSONAL_PRO", JUL_01, AUG_01, "30");
        f.account("corp", "QODER", "ENTERPRISE_TEAMS", JUL_01);
        f.cycle("corp", "corp-plan", "ENTERPRISE_TEAMS", JUL_01, AUG_01, "80");
        return f;
    }

    /** What a caller sees: the answer and whether it was a replay, or the problem's slug (or the error). */
    private static String seen(BatchRunner.Outcome<Object> o) {
        if (o.failure() != null) {
            return o.failure() instanceof Problem p ? "problem " + p.slug() : "error " + o.failure();
        }
        return (o.answered().replayed() ? "replayed " : "") + o.answered().body();
    }

    private static String seenAlone(ServiceFixture on, HoldCommand cmd) {
        return seen(on.services.holds().runAll(List.of(cmd)).get(0));
    }

    /**
     * A seeded mix of 150 hold requests two minutes apart over three accounts and a missing one: holds (some beyond
     * the balance, some priced from tokens, one of a model without price), commits of recent and older holds (some
     * expired, some over the hold, some failed calls, some in tokens), releases, retries of earlier requests, the
     * same hold id with another body, and commits of holds that do not exist.
     */
    private static List<HoldCommand> mixedRequests(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<HoldCommand> cmds = new ArrayList<>();
        List<Hold> holds = new ArrayList<>();
        List<String> accounts = List.of("alice", "alice", "alice", "bob", "corp", "nobody");
        for (int i = 0; i < 150; i++) {
            Instant at = START.plusSeconds(120L * i);
            int kind = random.nextInt(20);
            HoldCommand cmd;
            if (kind < 8 || holds.isEmpty() || i == 10) {
                String account = i == 10 ? "alice" : accounts.get(random.nextInt(accounts.size()));
                // kind 2: more than any account has
                BigDecimal credits = new BigDecimal((kind == 2 ? 500 : random.nextInt(1, 12)) + "." + random.nextInt(10));
                Hold h = new Hold("h" + i, account, null, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder", credits,
                        at, null);
                if (kind == 1 || i == 10) { // an estimate in tokens instead (request 10: of a model without price)
                    h = new Hold(h.holdId(), account, null, Product.CLI, Feature.QUEST_AGENT,
                            i == 10 || random.nextInt(8) == 0 ? "no-such-model" : "qwen3-coder", null, at, null,
                            (long) random.nextInt(1, 30_000), 0L, (long) random.nextInt(0, 6_000));
                }
                holds.add(h);
                cmd = h;
            } else if (kind < 13) {
                // mostly one of the last few holds (still open), sometimes an older one (expired by now)
                Hold h = holds.get(Math.max(0, holds.size() - 1 - random.nextInt(random.nextInt(4) == 0 ? 20 : 4)));
                Outcome outcome = random.nextInt(10) == 0 ? Outcome.FAILED : Outcome.SUCCEEDED;
                cmd = random.nextInt(5) == 0
                        ? new Commit(h.holdId(), outcome, null, at, (long) random.nextInt(1, 40_000), 0L,
                                (long) random.nextInt(0, 5_000))
                        : new Commit(h.holdId(), outcome, new BigDecimal(random.nextInt(0, 16) + ".25"), at);
            } else if (kind < 15) {
                cmd = new Release(holds.get(Math.max(0, holds.size() - 1 - random.nextInt(4))).holdId(), at);
            } else if (kind < 18) {
                cmd = cmds.get(random.nextInt(cmds.size())); // a retry, the same request
            } else if (kind == 18) {
                Hold h = holds.get(random.nextInt(holds.size()));
                cmd = new Hold(h.holdId(), h.accountId(), null, Product.IDE, Feature.EDITOR_ASK, "qwen3-coder",
                        BigDecimal.ONE, h.occurredAt(), null); // the same hold id, another body
            } else {
                cmd = new Commit("no-such-hold-" + i, Outcome.SUCCEEDED, BigDecimal.ONE, at);
            }
            cmds.add(cmd);
        }
        return cmds;
    }

    @Test
    @DisplayName("150 mixed hold requests in batches of 1 to 40 get the answers, and leave the ledger, that they do "
            + "one at a time")
    void batchesRunAsOneAtATime() {
        long seed = Long.getLong("credits.test.seed", System.nanoTime());
        List<HoldCommand> cmds = mixedRequests(seed);
        ServiceFixture alone = fixture("hold_batch_alone");
        ServiceFixture batched = fixture("hold_batch", meters);

        List<String> expected = cmds.stream().map(c -> seenAlone(alone, c)).toList();
        List<String> actual = ServiceFixture.inBatches(cmds, new int[] {1, 7, 23, 40, 2, 40, 37},
                batched.services.holds()::runAll).stream().map(HoldBatchTest::seen).toList();

        assertEquals(expected, actual, "answers, seed " + seed);
        assertEquals(alone.snapshot(), batched.snapshot(), "the ledger, seed " + seed);
        assertEquals(0.0, meters.get("credits.holds.batch.fallbacks").counter().count(), "batches run one by one");
        for (String kind : List.of("status=HELD", "status=INSUFFICIENT", "CommitView[decision=UsageDecision[",
                "status=RELEASED", "replayed ", "problem hold-expired",
                "problem unknown-hold", "problem idempotency-conflict", "problem unknown-model")) {
            assertTrue(expected.stream().anyMatch(s -> s.contains(kind)), "the mix has " + kind + ", seed " + seed);
        }
    }

    @Test
    @DisplayName("a refused request in a batch leaves no write behind (its hold's expiry sweep included), the others "
            + "keep theirs")
    void refusalLeavesNothing() {
        ServiceFixture f = fixture("hold_batch_refused");
        Hold first = new Hold("a1", "alice", null, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder",
                new BigDecimal("10"), START, 60);
        f.services.holds().runAll(List.of(first));
        String before = f.snapshot();
        // an hour later: the unpriced hold would expire a1 before its model is refused; the savepoint undoes that
        Hold unpriced = new Hold("a2", "alice", null, Product.CLI, Feature.QUEST_AGENT, "no-such-model", null,
                START.plusSeconds(3600), null, 1000L, 0L, 10L);
        List<BatchRunner.Outcome<Object>> out = f.services.holds().runAll(List.of(unpriced,
                new Commit("nope", Outcome.SUCCEEDED, BigDecimal.ONE, START)));
        assertEquals(List.of("problem unknown-model", "problem unknown-hold"), out.stream().map(HoldBatchTest::seen)
                .toList());
        assertEquals(before, f.snapshot(), "refused requests wrote nothing");

        List<BatchRunner.Outcome<Object>> mixed = f.services.holds().runAll(List.of(unpriced,
                new Hold("b1", "bob", null, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder", BigDecimal.ONE,
                        START.plusSeconds(60), null)));
        assertEquals("problem unknown-model", seen(mixed.get(0)));
        assertTrue(seen(mixed.get(1)).contains("HELD"), seen(mixed.get(1)));
        assertEquals(2, f.rows("holds"), "bob's hold stored beside alice's first");
    }

    @Test
    @DisplayName("a database error fails the batch's transaction; then each request is run alone and only the "
            + "offending one fails")
    void databaseErrorFallsBackToOneByOne() {
        ServiceFixture f = fixture("hold_batch_poison", meters);
        f.services.store().jdbi().useHandle(h -> h.execute(
                "ALTER TABLE holds ADD CONSTRAINT test_poison CHECK (model <> 'poison')"));
        List<BatchRunner.Outcome<Object>> out = f.services.holds().runAll(List.of(
                new Hold("p1", "alice", null, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder", BigDecimal.ONE, START,
                        null),
                new Hold("p2", "bob", null, Product.CLI, Feature.QUEST_AGENT, "poison", BigDecimal.ONE, START, null),
                new Hold("p3", "corp", null, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder", BigDecimal.ONE, START,
                        null)));
        assertTrue(seen(out.get(0)).contains("HELD"));
        assertNotNull(out.get(1).failure(), "the poisoned request fails");
        assertFalse(out.get(1).failure() instanceof Problem, "with the database's error, not a policy problem");
        assertTrue(seen(out.get(2)).contains("HELD"));
        assertEquals(2, f.rows("holds"));
        assertEquals(1.0, meters.get("credits.holds.batch.fallbacks").counter().count());
    }
}
