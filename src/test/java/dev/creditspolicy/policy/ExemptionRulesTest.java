package dev.creditspolicy.policy;

import static dev.creditspolicy.policy.RuleFixtures.addonLot;
import static dev.creditspolicy.policy.RuleFixtures.allocation;
import static dev.creditspolicy.policy.RuleFixtures.at;
import static dev.creditspolicy.policy.RuleFixtures.call;
import static dev.creditspolicy.policy.RuleFixtures.credits;
import static dev.creditspolicy.policy.RuleFixtures.decide;
import static dev.creditspolicy.policy.RuleFixtures.planLot;
import static dev.creditspolicy.policy.RuleFixtures.rules;
import static dev.creditspolicy.policy.RuleFixtures.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.policy.facts.UsageCall;
import dev.creditspolicy.support.TestServices;

/** rules/exemption.drl: whether a call is charged at all. */
class ExemptionRulesTest {
    static final String FAILED_RULE = "A failed call is exempt: only successful model calls are charged";
    static final String BEFORE_MODEL_RULE =
            "A successful call before the Credits model starts (2026-05-20T12:00+08:00) is exempt";
    static final Instant MODEL_START = at("2026-05-20T12:00:00+08:00");

    /** A plan lot active around the Credits model's start, so only the exemption decides. */
    private static Lot mayLot() {
        return planLot("plan-may").from("2026-05-01T00:00:00+08:00").until("2026-06-01T00:00:00+08:00")
                .remaining("100").build();
    }

    @Test
    @DisplayName("A failed call is recorded as EXEMPT and charges nothing")
    void failedCallIsExempt() {
        UsageCall call = call().failed().credits("5").product(Product.IDE).build();

        UsageDecision decision = decide(call, planLot("plan-jul").build(), addonLot("pack-1").build());

        assertThat(decision.status()).isEqualTo(Status.EXEMPT);
        assertThat(decision.reason()).isEqualTo(Reason.FAILED_CALL);
        assertThat(decision.charged()).isEqualByComparingTo("0");
        assertThat(decision.shortfall()).isEqualByComparingTo("0");
        assertThat(decision.allocations()).isEmpty();
        assertThat(decision.balanceAfter()).isEqualByComparingTo("200");
        assertThat(decision.firedRules()).contains(FAILED_RULE);
    }

    @Test
    @DisplayName("A failed call is EXEMPT even when the account has no credits at all (never INSUFFICIENT)")
    void failedCallWithoutCreditsIsExempt() {
        UsageDecision decision = decide(call().failed().credits("500").build());

        assertThat(decision.status()).isEqualTo(Status.EXEMPT);
        assertThat(decision.reason()).isEqualTo(Reason.FAILED_CALL);
        assertThat(decision.shortfall()).isEqualByComparingTo("0");
    }

    @Test
    @DisplayName("A failed call before the Credits model starts is EXEMPT with reason FAILED_CALL and charges nothing")
    void failedCallBeforeTheModelIsExempt() {
        UsageCall call = call().failed().at(MODEL_START.minusSeconds(3600)).build();

        UsageDecision decision = decide(call, mayLot());

        assertThat(decision.status()).isEqualTo(Status.EXEMPT);
        assertThat(decision.reason()).isIn(Reason.FAILED_CALL, Reason.BEFORE_CREDITS_MODEL);
        assertThat(decision.reason()).isEqualTo(Reason.FAILED_CALL);
        assertThat(decision.firedRules()).contains(FAILED_RULE).doesNotContain(BEFORE_MODEL_RULE);
        assertThat(decision.charged()).isEqualByComparingTo("0");
        assertThat(decision.allocations()).isEmpty();
    }

    @Test
    @DisplayName("A successful call one second before 2026-05-20T12:00+08:00 is EXEMPT with reason BEFORE_CREDITS_MODEL")
    void successfulCallOneSecondBeforeTheModelIsExempt() {
        UsageCall call = call().at("2026-05-20T11:59:59+08:00").credits("10").build();

        UsageDecision decision = decide(call, mayLot());

        assertThat(decision.status()).isEqualTo(Status.EXEMPT);
        assertThat(decision.reason()).isEqualTo(Reason.BEFORE_CREDITS_MODEL);
        assertThat(decision.charged()).isEqualByComparingTo("0");
        assertThat(decision.allocations()).isEmpty();
        assertThat(decision.firedRules()).contains(BEFORE_MODEL_RULE).doesNotContain(FAILED_RULE);
    }

    @Test
    @DisplayName("A successful call one microsecond before the Credits model starts is still EXEMPT")
    void successfulCallOneMicrosecondBeforeTheModelIsExempt() {
        UsageCall call = call().at(MODEL_START.minusNanos(1_000)).build();

        assertThat(verdict(call, mayLot()).exemption()).isEqualTo(Reason.BEFORE_CREDITS_MODEL);
    }

    @Test
    @DisplayName("The Credits model governs calls from 2026-05-20T12:00+08:00 on: a successful call at that instant is charged")
    void successfulCallAtTheModelStartIsCharged() {
        UsageCall call = call().at("2026-05-20T12:00:00+08:00").credits("10").build();

        UsageDecision decision = decide(call, mayLot());

        assertThat(decision.status()).isEqualTo(Status.CHARGED);
        assertThat(decision.reason()).isEqualTo(Reason.CHARGED);
        assertThat(decision.charged()).isEqualByComparingTo("10");
        assertThat(decision.allocations()).containsExactly(allocation("plan-may", LotType.PLAN, "10"));
        assertThat(decision.firedRules()).doesNotContain(BEFORE_MODEL_RULE, FAILED_RULE);
    }

    @Test
    @DisplayName("The model's start is an instant: 2026-05-20T04:00:00Z is the same instant and is charged, 03:59:59Z is exempt")
    void theModelStartIsTheSameInstantInUtc() {
        assertThat(decide(call().at("2026-05-20T04:00:00Z").build(), mayLot()).status()).isEqualTo(Status.CHARGED);
        assertThat(decide(call().at("2026-05-20T03:59:59Z").build(), mayLot()).status()).isEqualTo(Status.EXEMPT);
    }

    @Test
    @DisplayName("A successful call before the Credits model is EXEMPT even when the account has no credits")
    void beforeTheModelWithoutCreditsIsExempt() {
        UsageDecision decision = decide(call().at("2026-05-01T00:00:00+08:00").credits("1000").build());

        assertThat(decision.status()).isEqualTo(Status.EXEMPT);
        assertThat(decision.reason()).isEqualTo(Reason.BEFORE_CREDITS_MODEL);
        assertThat(decision.shortfall()).isEqualByComparingTo("0");
    }

    @Test
    @DisplayName("A successful call that no rule exempts is charged, and the decision carries the rules version")
    void successfulCallIsCharged() {
        UsageCall call = call().credits("70").build();

        UsageVerdict verdict = verdict(call, planLot("plan-jul").build());
        UsageDecision decision = decide(call, planLot("plan-jul").build());

        assertThat(verdict.exemption()).isNull();
        assertThat(decision.status()).isEqualTo(Status.CHARGED);
        assertThat(decision.charged()).isEqualTo(credits("70"));
        assertThat(decision.balanceAfter()).isEqualTo(credits("30"));
        assertThat(decision.rulesVersion()).isEqualTo(rules().version()).hasSize(16);
    }

    @Test
    @DisplayName("Which exemption reason wins is the rules' to say: rules that give one call two reasons are refused")
    void overlappingExemptionRulesAreRefused(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir);
        Path exemption = rules.resolve("exemption.drl");
        // the "before the Credits model" rule made to apply to failed calls too: a failed call before the start
        // would get both reasons, and Java must not choose one
        Files.writeString(exemption, Files.readString(exemption)
                .replace("UsageCall( outcome == Outcome.SUCCEEDED, occurredAt <", "UsageCall( occurredAt <"));

        RulesInvalidException refused = catchThrowableOfType(RulesInvalidException.class,
                () -> RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()));

        assertThat(refused).as("a rule set whose exemption rules overlap must be refused").isNotNull();
        assertThat(refused.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("fail on a sample call").contains("FAILED_CALL").contains("BEFORE_CREDITS_MODEL"));
    }
}
