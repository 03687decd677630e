package dev.creditspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.support.CandidateRules;
import dev.creditspolicy.support.TestServices;

/** The allow-list and the checker on their own: what passes, what is refused and how it is said. */
class RuleCheckerTest {
    private static final String HEADER = "package creditspolicy.rules;\n\nimport dev.creditspolicy.policy.facts.*;\n"
            + "import java.math.BigDecimal;\nimport java.math.RoundingMode;\n\n";

    private static RuleChecker.Verdict check(String drl) {
        return RuleChecker.check(new RuleFile("candidate.drl", "-", HEADER + drl));
    }

    @Test
    @DisplayName("every rule file of rules/ and the analysts' candidates of the tests pass the checker untouched")
    void theRepositoryRulesPass(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir);
        CandidateRules.forfeitReversalsToExpiredLots(rules);
        Files.writeString(rules.resolve("candidates.drl"), HEADER + CandidateRules.ENTERPRISE_IDE
                + CandidateRules.LOOP_ON_BIG_LOTS + CandidateRules.LOOP_ON_EVERY_CALL);
        List<RuleFile> sources = DecisionTables.expand(RulesCompiler.read(rules));
        assertThat(sources).hasSizeGreaterThan(8);
        for (RuleFile f : sources) {
            RuleChecker.Verdict v = RuleChecker.check(f);
            assertThat(v.refused()).as(f.name()).isEmpty();
            assertThat(v.unreadable()).as(f.name()).isEmpty();
        }
    }

    @Test
    @DisplayName("unicode escapes are decoded as javac decodes them: \\u0052untime is Runtime")
    void unicodeEscapesDecoded() {
        RuleChecker.Verdict v = check("rule \"r\"\nwhen\n    UsageCall()\nthen\n"
                + "    \\u0052untime.\\u0067etRuntime().\\u0065xec(\"true\");\nend\n");

        assertThat(v.refused()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("candidate.drl");
            assertThat(e.line()).isEqualTo(11);
            assertThat(e.rule()).isEqualTo("r");
            assertThat(e.message()).startsWith("names Runtime, which is");
        });
    }

    @Test
    @DisplayName("a refusal says file, line, rule and what is not allowed, quoting the condition")
    void refusalMessage() {
        RuleChecker.Verdict v = check("rule \"Big calls\"\nwhen\n"
                + "    UsageCall( credits.toBigInteger() != null )\nthen\nend\n");

        assertThat(v.refused()).singleElement().hasToString("candidate.drl:9 (rule \"Big calls\"): in "
                + "\"credits.toBigInteger() != null\": BigDecimal has no method toBigInteger a rule may call");
    }

    @Test
    @DisplayName("facts, their constants and methods, the rule's name and the pure methods of the list pass")
    void allowed() {
        RuleChecker.Verdict v = check("""
                rule "allowed"
                    salience 10
                when
                    $c : UsageCall( credits.compareTo(BigDecimal.ONE) > 0, plan.tier() == Tier.PERSONAL,
                                    model.startsWith("qwen"), occurredAt.isBefore(Instants.at("2027-01-01T00:00Z")) )
                    $l : Lot( accountId == $c.accountId, remaining.setScale(4, RoundingMode.HALF_UP) > 0 )
                    not Exemption()
                then
                    BigDecimal half = $l.getRemaining().divide(new BigDecimal("2"), 4, RoundingMode.HALF_UP);
                    if (half.signum() > 0 && Math.max(1, 2) == 2) {
                        insert(new Refusal("x", drools.getRule().getName() + half));
                    }
                end
                """);

        assertThat(v.refused()).isEmpty();
        assertThat(v.unreadable()).isEmpty();
    }

    @Test
    @DisplayName("every method of the allow-list exists, and every overload returns a type of the list")
    void theListIsClosed() {
        for (Map.Entry<Class<?>, Set<String>> e : RuleAllowList.PURE.entrySet()) {
            for (String name : e.getValue()) {
                List<Method> methods = List.of(e.getKey().getMethods()).stream()
                        .filter(m -> m.getName().equals(name) && !m.isBridge()).toList();
                assertThat(methods).as(e.getKey().getSimpleName() + "." + name).isNotEmpty();
                methods.forEach(m -> assertThat(RuleAllowList.isValueType(m.getReturnType())
                        || m.getReturnType() == void.class).as(m.toString()).isTrue());
            }
        }
    }

    @Test
    @DisplayName("the facts expose no mutable state: every field final, no setter, enums included")
    void factsAreImmutable() throws IOException {
        try (var sources = Files.list(Path.of("src/main/java/dev/creditspolicy/policy/facts"))) {
            List<Class<?>> facts = sources.map(p -> p.getFileName().toString().replace(".java", ""))
                    .map(RuleAllowList::factClass).toList();
            assertThat(facts).hasSizeGreaterThan(30).doesNotContainNull();
            for (Class<?> c : facts) {
                for (var f : c.getDeclaredFields()) {
                    assertThat(Modifier.isFinal(f.getModifiers()) || f.isSynthetic()).as(f.toString()).isTrue();
                }
                for (Method m : c.getMethods()) {
                    assertThat(m.getName()).as(m.toString()).doesNotStartWith("set");
                }
            }
        }
    }

    @Test
    @DisplayName("an exception a rule's code throws in the self-check is named by its class, never by its text")
    void selfCheckNeverEchoesAnException(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir);
        Path exemption = rules.resolve("exemption.drl");
        Files.writeString(exemption, Files.readString(exemption).replace("Instants.at(\"2026-05-20T12:00+08:00\")",
                "Instants.at(\"echoed text 2026\")"));

        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class,
                () -> RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()));

        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("exemption.drl");
            assertThat(error.message()).contains("java.time.format.DateTimeParseException")
                    .doesNotContain("echoed text");
        });
    }

    @Test
    @DisplayName("a self-check that does not finish within its limit refuses the candidate (rules-timeout)")
    void selfCheckLimit(@TempDir Path dir) {
        Path rules = TestServices.copyOfRules(dir);

        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class, () -> RulesCompiler.compile(
                RulesCompiler.read(rules), Instant.now(), EvaluationBudget.DEFAULT, Duration.ofMillis(1)));

        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("(self-check)");
            assertThat(error.message()).contains("did not finish within").contains(RulesBudgetExceeded.SLUG);
        });
    }
}
