package dev.creditspolicy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RulesInvalidException;
import dev.creditspolicy.support.CandidateRules;
import dev.creditspolicy.support.TestServices;

/**
 * What a void does to open holds, and whether a reversal gives credits back to a lot expired since, are
 * corrections.drl's: the default and an analyst's alternative, each replayed.
 */
class CorrectionRulesTest {
    private static final String SETUP = """
            steps:
              - account: {id: alice, realm: QODER_CN, plan: PERSONAL_PRO, at: 2026-07-01T00:00:00+08:00}
              - cycle: {account: alice, plan: PERSONAL_PRO, start: 2026-07-01T00:00:00+08:00, end: 2026-08-01T00:00:00+08:00, credits: 100, lotId: plan-jul}
              - grant: {account: alice, lotId: pack-1, source: PURCHASE, amount: 50, effectiveAt: 2026-07-02T00:00:00+08:00, expiresAt: 2026-07-20T00:00:00+08:00, reason: credit pack}
            """;

    private static final String VOID_WITH_HOLD = "name: a void with an open hold\n" + SETUP + """
              - hold: {holdId: h1, account: alice, product: CLI, feature: QUEST_AGENT, model: m, credits: 40, occurredAt: 2026-07-03T10:00:00+08:00, ttlSeconds: 3600}
                expect: {status: HELD, allocations: {pack-1: 40}}
              - void: {account: alice, lotId: pack-1, at: 2026-07-03T10:30:00+08:00, reason: refunded pack}
                expect: {voided: 50, heldReleased: %s}
              - commit: {hold: h1, outcome: SUCCEEDED, credits: 40, occurredAt: 2026-07-03T10:40:00+08:00}
                expect: {status: CHARGED, charged: 40, allocations: {%s: 40}}
            """;

    private static final String REVERSAL_TO_EXPIRED = "name: a reversal to a lot expired since\n" + SETUP + """
              - usage: {requestId: r1, account: alice, product: CLI, feature: QUEST_AGENT, model: m, outcome: SUCCEEDED, credits: 70, occurredAt: 2026-07-03T10:00:00+08:00}
                expect: {allocations: {pack-1: 50, plan-jul: 20}}
              - reversal: {requestId: r1, at: 2026-07-21T00:00:00+08:00, reason: duplicate report}
                expect: {status: REVERSED, reversed: %s, forfeited: %s, allocations: {%s}}
              - lots: {account: alice}
                expect: {pack-1: {remaining: %s}, plan-jul: {remaining: 100}}
            """;

    @Test
    @DisplayName("by default a void releases an open hold's part on the lot (the commit draws it as excess); with "
            + "HoldsOnVoid.KEEP_HELD the hold keeps it and the commit charges the voided lot")
    void whatAVoidDoesToOpenHolds(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("void.yaml");
        Files.writeString(file, VOID_WITH_HOLD.formatted(40, "plan-jul"));
        assertThat(new ScenarioRunner(TestServices.rules()).run(file).failures()).isEmpty();

        Path rules = candidate(dir, "HoldsOnVoid.RELEASE_FROM_VOID", "HoldsOnVoid.KEEP_HELD");
        Files.writeString(file, VOID_WITH_HOLD.formatted(0, "pack-1"));
        assertThat(new ScenarioRunner(PolicyEngine.load(rules, Clock.systemUTC())).run(file).failures()).isEmpty();
    }

    @Test
    @DisplayName("by default a reversal restores a lot expired since (unusable there); a rule concluding FORFEIT for "
            + "an expired lot gives back only to the lots still usable")
    void whetherAReversalRestoresAnExpiredLot(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("reversal.yaml");
        Files.writeString(file, REVERSAL_TO_EXPIRED.formatted(70, 0, "pack-1: 50, plan-jul: 20", 50));
        assertThat(new ScenarioRunner(TestServices.rules()).run(file).failures()).isEmpty();

        Path rules = dir.resolve("rules");
        TestServices.copyOfRules(rules);
        CandidateRules.forfeitReversalsToExpiredLots(rules);
        Files.writeString(file, REVERSAL_TO_EXPIRED.formatted(20, 50, "plan-jul: 20", 0));
        assertThat(new ScenarioRunner(PolicyEngine.load(rules, Clock.systemUTC())).run(file).failures()).isEmpty();
    }

    @Test
    @DisplayName("a rule set that decides nothing about voids and reversals is refused by the self-check")
    void noCorrectionRulesAreRefused(@TempDir Path dir) throws IOException {
        TestServices.copyOfRules(dir);
        Files.delete(dir.resolve("corrections.drl"));
        org.junit.jupiter.api.Assertions.assertThrows(RulesInvalidException.class,
                () -> PolicyEngine.load(dir, Clock.systemUTC()));
    }

    private static Path candidate(Path dir, String from, String to) throws IOException {
        Path rules = dir.resolve("rules");
        TestServices.copyOfRules(rules);
        Path drl = rules.resolve("corrections.drl");
        Files.writeString(drl, Files.readString(drl).replace(from, to));
        return rules;
    }
}
