package dev.creditspolicy.policy;

import static dev.creditspolicy.policy.RuleFixtures.call;
import static dev.creditspolicy.policy.RuleFixtures.planLot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.support.CandidateRules;
import dev.creditspolicy.support.TestServices;

/**
 * A rule that keeps re-activating itself would hold a request, a replay or a rules check forever. Every evaluation
 * has a budget of firings and time; a loop in a consequence, which no budget can stop, is refused by the rule checker.
 */
@DisplayName("Looping rules are contained: an evaluation budget, and no loops in rule files")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EvaluationBudgetTest {
    static Path withRule(Path dir, String rule) {
        return CandidateRules.withRule(dir.resolve("rules"), rule);
    }

    @Test
    @DisplayName("a rule that keeps re-activating on some facts: the evaluation stops with rules-timeout naming the "
            + "rule, and the next evaluation is decided as usual")
    void loopStopsAndNamesTheRule(@TempDir Path dir) throws IOException {
        RuleSet rules = RulesCompiler.compile(RulesCompiler.read(withRule(dir, CandidateRules.LOOP_ON_BIG_LOTS)), Instant.now());
        long started = System.nanoTime();

        RulesBudgetExceeded e = catchThrowableOfType(RulesBudgetExceeded.class,
                () -> rules.evaluateUsage(call().build(), List.of(planLot("plan-jul").remaining("100").build())));

        assertThat(e).isNotNull();
        assertThat(e.rule()).isEqualTo("Touch a big lot again and again");
        assertThat(e.getMessage()).contains("fired").contains("re-activating");
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms to stop").isLessThan(2_500);
        assertThat(rules.budgetsExceeded()).isEqualTo(1);
        UsageVerdict ok = rules.evaluateUsage(call().build(), List.of(planLot("plan-jul").remaining("20").build()));
        assertThat(ok.exemption()).isNull();
        assertThat(RuleFixtures.ids(ok.eligibleInOrder())).containsExactly("plan-jul");
        assertThat(dev.creditspolicy.ledger.Deduction.decide(call().build(), ok).status()).isEqualTo(Status.CHARGED);
    }

    @Test
    @DisplayName("a rule set that loops on the self-check's sample call is refused, with the rule's file and line")
    void loopingCandidateRefused(@TempDir Path dir) throws IOException {
        Path rules = withRule(dir, CandidateRules.LOOP_ON_EVERY_CALL);
        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class,
                () -> RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()));

        assertThat(e).isNotNull();
        RuleError error = e.errors().get(0);
        assertThat(error.file()).isEqualTo("sharing.drl");
        assertThat(error.rule()).isEqualTo("Touch the call again and again");
        List<String> lines = Files.readAllLines(rules.resolve("sharing.drl"));
        assertThat(lines.get(error.line() - 1)).contains("rule \"Touch the call again and again\"");
        assertThat(error.message()).contains("within the budget");
    }

    @Test
    @DisplayName("the time budget holds for calls, not for the load's self-check: with no time at all, the "
            + "repository's rules load (a cold or busy machine must not refuse sound rules) and a call is refused")
    void timeBudget(@TempDir Path dir) throws IOException {
        Path folder = TestServices.copyOfRules(dir.resolve("rules"));
        RuleSet rules = RulesCompiler.compile(RulesCompiler.read(folder), Instant.now(),
                new EvaluationBudget(10_000, 100, 0));

        RulesBudgetExceeded e = catchThrowableOfType(RulesBudgetExceeded.class,
                () -> rules.evaluateUsage(call().build(), List.of(planLot("plan-jul").remaining("100").build())));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("0 ms");
    }

    @Test
    @DisplayName("a loop or a function in a rule file is refused by the checker with file and line")
    void loopsRefused(@TempDir Path dir) throws IOException {
        for (String body : List.of("while (true) { }", "for (int i = 0; i < 2; i++) { }", "do { } while (false);")) {
            Path rules = withRule(dir.resolve("x" + body.length()), """

                    rule "Spin"
                    when
                        UsageCall()
                    then
                        %s
                    end
                    """.formatted(body));
            RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class,
                    () -> RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()));
            assertThat(e).as(body).isNotNull();
            assertThat(e.errors()).anySatisfy(err -> {
                assertThat(err.file()).isEqualTo("sharing.drl");
                assertThat(err.rule()).isEqualTo("Spin");
                assertThat(err.message()).contains("a loop");
            });
        }
        Path withFunction = withRule(dir.resolve("fn"), "\nfunction int spin() { return 1; }\n");
        assertThat(catchThrowableOfType(RulesInvalidException.class,
                () -> RulesCompiler.compile(RulesCompiler.read(withFunction), Instant.now())).errors())
                .anySatisfy(err -> assertThat(err.message()).contains("declares the function spin"));
    }
}
