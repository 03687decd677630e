package dev.creditspolicy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChangeKind;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands.ChangePlan;
import dev.creditspolicy.service.Commands.CreateAccount;
import dev.creditspolicy.service.Commands.GrantAddon;
import dev.creditspolicy.service.Commands.StartCycle;
import dev.creditspolicy.service.Commands.Usage;

/**
 * The idempotency hash is a stored contract: these golden values must never change. A failure here means retries
 * of requests stored before the change would answer 409 after an upgrade.
 */
@DisplayName("Idempotency hash: canonical, versioned, stable across upgrades")
class RequestHashTest {
    private static final Instant JUL_01 = Instant.parse("2026-07-01T00:00:00Z");
    private static final Usage R1 = new Usage("r1", "alice", Realm.QODER_CN, Product.CLI, Feature.QUEST_AGENT,
            "qwen3-coder", Outcome.SUCCEEDED, new BigDecimal("70.5000"), Instant.parse("2026-07-03T02:00:00Z"));

    @Test
    @DisplayName("version 1 is the sorted, null-free JSON of the fields in normal form, with kind and version")
    void canonicalText() {
        assertEquals("{\"fields\":{\"accountId\":\"alice\",\"credits\":\"70.5\",\"feature\":\"QUEST_AGENT\","
                + "\"model\":\"qwen3-coder\",\"occurredAt\":\"2026-07-03T02:00:00Z\",\"outcome\":\"SUCCEEDED\","
                + "\"product\":\"CLI\",\"realm\":\"QODER_CN\",\"requestId\":\"r1\"},\"kind\":\"Usage\",\"v\":1}",
                RequestHash.canonical(R1));
        assertEquals("{\"fields\":{\"accountId\":\"alice\",\"credits\":\"100\",\"end\":\"2026-08-01T00:00:00Z\","
                + "\"plan\":\"PERSONAL_PRO\",\"start\":\"2026-07-01T00:00:00Z\"},\"kind\":\"StartCycle\",\"v\":1}",
                RequestHash.canonical(new StartCycle("alice", Plan.PERSONAL_PRO, JUL_01,
                        Instant.parse("2026-08-01T00:00:00Z"), new BigDecimal("100.0000"), null)));
    }

    @Test
    @DisplayName("golden version-1 hashes of every command")
    void goldenHashes() {
        assertEquals("d10cea14b29b994d1654bdd357ea2c9f2d4a4e42ede883a839dba145938375a6", RequestHash.of(R1));
        assertEquals("95ebfc9cb491b9e3b6e3460f6ad5c51882e59cd0e5216a7ccbd1ffc159557f69", RequestHash.of(new CreateAccount("alice", Realm.QODER_CN, Plan.PERSONAL_PRO,
                JUL_01)));
        assertEquals("99ca4bb5d0ee4994efcad707074a8022aa3d0dbe860fe1e4e0abb4300e53982a", RequestHash.of(new GrantAddon("alice", null, LotSource.PROMOTION,
                new BigDecimal("5.5000"), JUL_01, Instant.parse("2026-07-20T00:00:00.123456Z"),
                "promo, with {odd} = \"chars\"", Product.IDE)));
        assertEquals("78b7d71872b4bd5ea94341184d7d1a44b4b6048dd4dd60e662503a3a6b5b7feb", RequestHash.of(new ChangePlan("alice", Plan.PERSONAL_PRO, JUL_01,
                PlanChangeKind.UPGRADE)));
    }

    @Test
    @DisplayName("the same request written differently has one hash: 70.5 = 70.5000, +08:00 = Z")
    void sameMeaningSameHash() {
        Usage written = new Usage("r1", "alice", Realm.QODER_CN, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder",
                Outcome.SUCCEEDED, new BigDecimal("70.50"),
                OffsetDateTime.parse("2026-07-03T10:00:00+08:00").toInstant());
        assertEquals(RequestHash.of(R1), RequestHash.of(written));
        Usage other = new Usage("r1", "alice", Realm.QODER_CN, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder",
                Outcome.SUCCEEDED, new BigDecimal("70.5001"), R1.occurredAt());
        assertNotEquals(RequestHash.of(R1), RequestHash.of(other));
        assertEquals("{\"fields\":{\"amount\":\"0\"},\"kind\":\"Zero\",\"v\":1}",
                RequestHash.canonical(new Zero(new BigDecimal("0.0000"))));
    }

    /** A command of a later release: the same fields as Usage and one more, optional. */
    record Usage2(String requestId, String accountId, Realm realm, Product product, Feature feature, String model,
                  Outcome outcome, BigDecimal credits, Instant occurredAt, Long inputTokens) {
    }

    record Zero(BigDecimal amount) {
    }

    @Test
    @DisplayName("a field added later and left out does not change the canonical fields")
    void addedOptionalFieldKeepsTheFields() {
        Usage2 later = new Usage2("r1", "alice", Realm.QODER_CN, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder",
                Outcome.SUCCEEDED, new BigDecimal("70.5000"), R1.occurredAt(), null);
        assertEquals(RequestHash.canonical(R1).replace("\"Usage\"", "\"Usage2\""), RequestHash.canonical(later));
    }

    @Test
    @DisplayName("requests stored before version 1 (the hash of the record's toString) still match their retries")
    void legacyHashesStillMatch() {
        // the values the service stored before version 1, computed by that release
        assertTrue(RequestHash.matches("88ecf5f680e42c1adc0a287df777d5cb19904784661db9e42f6c3992526bf71b", R1));
        assertTrue(RequestHash.matches("17d9fbd315849d5a19d9fdada2ebce0cc85b273ab50d123d65538b8f1c7e31ff",
                new CreateAccount("alice", Realm.QODER_CN, Plan.PERSONAL_PRO, JUL_01)));
        assertTrue(RequestHash.matches("17cc27d4920daffe1a0ec4c0cd8194563b9efc2cc439bf3346a260cd28c29452",
                new StartCycle("alice", Plan.PERSONAL_PRO, JUL_01, Instant.parse("2026-08-01T00:00:00Z"),
                        new BigDecimal("100.0000"), "plan-jul")));
        assertTrue(RequestHash.matches("28a052a6486df935419de466011c5b5b5c6aae940a9a597ad862e93d3725f7f1",
                new StartCycle("alice", Plan.PERSONAL_PRO, JUL_01, Instant.parse("2026-08-01T00:00:00Z"),
                        new BigDecimal("100.0000"), null)));
        assertTrue(RequestHash.matches("dd5b79909e6089d788da35735acfd4f10fb80a6b1c7cc028c37fed5c679235dc",
                new GrantAddon("alice", "pack-1", LotSource.PURCHASE, new BigDecimal("50.0000"), JUL_01,
                        Instant.parse("2026-07-20T00:00:00Z"), "credit pack 50", null)));
        assertTrue(RequestHash.matches("3ff1e1b918e90299b3bc8023d414a69161130a506110d5026dae5d25a23f4e3a",
                new GrantAddon("alice", null, LotSource.PROMOTION, new BigDecimal("5.5000"), JUL_01,
                        Instant.parse("2026-07-20T00:00:00.123456Z"), "promo, with {odd} = chars", Product.IDE)));
        assertTrue(RequestHash.matches("f5344ce5122859e971ac895531b820070da092c1ce337754cee90b8c48c32a97",
                new ChangePlan("alice", Plan.PERSONAL_PRO, JUL_01, PlanChangeKind.UPGRADE)));
        assertFalse(RequestHash.matches("88ecf5f680e42c1adc0a287df777d5cb19904784661db9e42f6c3992526bf71b",
                new Usage("r1", "alice", Realm.QODER_CN, Product.CLI, Feature.QUEST_AGENT, "qwen3-coder",
                        Outcome.SUCCEEDED, new BigDecimal("70.5001"), R1.occurredAt())),
                "another body does not match the old hash");
    }

    /** A usage report in tokens (issue 18): the token fields are hashed, credits (null) left out. */
    private static final Usage PRICED = new Usage("r2", "alice", Realm.QODER_CN, Product.CLI, Feature.QUEST_EXPERTS,
            "qwen3-coder", Outcome.SUCCEEDED, null, Instant.parse("2026-07-03T02:00:00Z"), 2000L, 0L, 500L);

    @Test
    @DisplayName("a request in tokens hashes its token fields (credits left out); one in credits hashes as before")
    void tokenFieldsAreHashed() {
        assertEquals("{\"fields\":{\"accountId\":\"alice\",\"cachedInputTokens\":\"0\",\"feature\":\"QUEST_EXPERTS\","
                + "\"inputTokens\":\"2000\",\"model\":\"qwen3-coder\",\"occurredAt\":\"2026-07-03T02:00:00Z\","
                + "\"outcome\":\"SUCCEEDED\",\"outputTokens\":\"500\",\"product\":\"CLI\",\"realm\":\"QODER_CN\","
                + "\"requestId\":\"r2\"},\"kind\":\"Usage\",\"v\":1}", RequestHash.canonical(PRICED));
        assertEquals("8ea0377e3a17a572d066567ad04c10ebf5874df194913cafe274c85e80e0f8ce", RequestHash.of(PRICED));
        // other tokens, another request
        assertNotEquals(RequestHash.of(PRICED), RequestHash.of(new Usage("r2", "alice", Realm.QODER_CN, Product.CLI,
                Feature.QUEST_EXPERTS, "qwen3-coder", Outcome.SUCCEEDED, null, Instant.parse("2026-07-03T02:00:00Z"),
                2000L, 1L, 500L)));
        // the record gained token fields; a request in credits still has the golden hash of before (above) and
        // the same canonical fields as the 9-field record
        assertEquals(RequestHash.of(R1), RequestHash.of(new Usage("r1", "alice", Realm.QODER_CN, Product.CLI,
                Feature.QUEST_AGENT, "qwen3-coder", Outcome.SUCCEEDED, new BigDecimal("70.5"),
                Instant.parse("2026-07-03T02:00:00Z"), null, null, null)));
    }
}
