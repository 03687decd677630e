package dev.creditspolicy.policy;

import static dev.creditspolicy.policy.RuleFixtures.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.policy.facts.UsageCall;
import dev.creditspolicy.support.TestServices;

/**
 * Loading the rules folder: a folder that does not compile is refused with file, line and rule; the version is a
 * hash of the content; a failed reload leaves the previous version serving. Each test breaks a copy of rules/.
 */
class RulesCompilerTest {
    static final String FAILED_RULE = "A failed call is exempt: only successful model calls are charged";
    static final String NO_ORIGIN_RULE = "A lot without an origin product serves the products its tier shares with";
    static final String FROM_SHARING_DATE_RULE = "From the sharing date (2026-06-20T00:00+08:00), a lot that names "
            + "an origin product serves the products its tier shares with";
    static final String PRIORITY_RULE = "Soonest-expiring lot first; at equal expiry plan credits before add-on "
            + "credits; then earlier effectiveAt; then lot id";
    static final String UPGRADE_RULE = "An upgrade shortens the expiry of the account's active plan lots of the old "
            + "plan to the upgrade instant";

    @TempDir
    Path rules;

    @BeforeEach
    void copyTheRepositoryRules() throws IOException {
        // the .drl files and the decision tables of tables/ (the price table serves from there)
        TestServices.copyOfRules(rules);
    }

    // ---- helpers

    /** Replaces the one occurrence of {@code from} in a rule file (fails if the text is not there exactly once). */
    private void edit(String file, String from, String to) throws IOException {
        Path p = rules.resolve(file);
        String content = Files.readString(p, StandardCharsets.UTF_8);
        int at = content.indexOf(from);
        assertThat(at).as("'%s' in %s", from, file).isNotNegative();
        assertThat(content.indexOf(from, at + 1)).as("'%s' only once in %s", from, file).isNegative();
        Files.writeString(p, content.substring(0, at) + to + content.substring(at + from.length()),
                StandardCharsets.UTF_8);
    }

    /**
     * Replaces the one occurrence of {@code from} inside the named rule (from its `rule` line to its `end`), so the
     * test does not depend on what else the file holds.
     */
    private void editRule(String file, String rule, String from, String to) throws IOException {
        Path p = rules.resolve(file);
        String content = Files.readString(p, StandardCharsets.UTF_8);
        int start = content.indexOf("rule \"" + rule + "\"");
        assertThat(start).as("rule '%s' in %s", rule, file).isNotNegative();
        int end = content.indexOf("\nend", start);
        String block = content.substring(start, end);
        int at = block.indexOf(from);
        assertThat(at).as("'%s' in rule '%s'", from, rule).isNotNegative();
        assertThat(block.indexOf(from, at + 1)).as("'%s' only once in rule '%s'", from, rule).isNegative();
        Files.writeString(p, content.substring(0, start + at) + to + content.substring(start + at + from.length()),
                StandardCharsets.UTF_8);
    }

    /** The 1-based line of the file (as it is now) that holds the text, which must occur once. */
    private int lineOf(String file, String text) throws IOException {
        List<String> lines = Files.readAllLines(rules.resolve(file), StandardCharsets.UTF_8);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                found.add(i + 1);
            }
        }
        assertThat(found).as("lines of %s holding '%s'", file, text).hasSize(1);
        return found.get(0);
    }

    /** The line of the `end` that closes the named rule. */
    private int endOf(String file, String rule) throws IOException {
        List<String> lines = Files.readAllLines(rules.resolve(file), StandardCharsets.UTF_8);
        int i = lineOf(file, "rule \"" + rule + "\"");
        while (!lines.get(i).strip().equals("end")) {
            i++;
        }
        return i + 1;
    }

    /** Compiles the folder, expecting it to be refused; the errors it is refused with. */
    private List<RuleError> refusal() {
        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class,
                () -> RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()));
        assertThat(e).as("the broken folder must be refused").isNotNull();
        assertThat(e.errors()).isNotEmpty();
        return e.errors();
    }

    private static RuleError only(List<RuleError> errors) {
        assertThat(errors).as("errors").hasSize(1);
        return errors.get(0);
    }

    @Test
    @DisplayName("The repository's rules compile")
    void theRepositoryRulesCompile() {
        RuleSet compiled = RulesCompiler.compile(RulesCompiler.read(rules), Instant.parse("2026-07-01T00:00:00Z"));

        assertThat(compiled.files()).extracting(RuleFile::name)
                .contains("exemption.drl", "expiry.drl", "priority.drl", "sharing.drl").isSorted();
        assertThat(compiled.loadedAt()).isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
    }

    @Nested
    @DisplayName("A rule set that does not compile is refused with file and line")
    class Refused {
        @Test
        @DisplayName("DRL syntax: a rule without `then` is reported at the rule's `end`, with the rule's name")
        void missingThen() throws IOException {
            editRule("sharing.drl", NO_ORIGIN_RULE, "isActiveAt($draw.at) )\nthen\n",
                    "isActiveAt($draw.at) )\n");
            int end = endOf("sharing.drl", NO_ORIGIN_RULE);

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("sharing.drl");
            assertThat(error.line()).isEqualTo(end);
            assertThat(Files.readAllLines(rules.resolve("sharing.drl")).get(end - 1)).isEqualTo("end");
            assertThat(error.rule()).isEqualTo(NO_ORIGIN_RULE);
            assertThat(error.message()).contains("end");
        }

        @Test
        @DisplayName("DRL syntax: a rule without `end` is reported where the parser stops, naming the rule that lacks it")
        void missingEnd() throws IOException {
            edit("exemption.drl", "Reason.FAILED_CALL));\nend\n", "Reason.FAILED_CALL));\n");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("exemption.drl");
            // the parser reads the next rule's header as part of this one and stops at that rule's consequence
            assertThat(error.line()).isEqualTo(lineOf("exemption.drl", "Reason.BEFORE_CREDITS_MODEL"));
            assertThat(error.rule()).isEqualTo(FAILED_RULE);
        }

        @Test
        @DisplayName("DRL syntax: a stray token in a pattern is reported on its own line")
        void strayToken() throws IOException {
            edit("exemption.drl", "UsageCall( outcome == Outcome.FAILED )", "UsageCall( outcome = = Outcome.FAILED )");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("exemption.drl");
            assertThat(error.line()).isEqualTo(lineOf("exemption.drl", "outcome = = Outcome.FAILED"));
            assertThat(error.rule()).isEqualTo(FAILED_RULE);
        }

        @Test
        @DisplayName("An unknown property in a pattern is reported on its line (the executable model gives none)")
        void unknownPropertyInPattern() throws IOException {
            edit("exemption.drl", "UsageCall( outcome == Outcome.FAILED )", "UsageCall( outcom == Outcome.FAILED )");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("exemption.drl");
            assertThat(error.line()).isEqualTo(lineOf("exemption.drl", "outcom =="));
            assertThat(error.rule()).isEqualTo(FAILED_RULE);
            assertThat(error.message()).contains("outcom == Outcome.FAILED");
        }

        @Test
        @DisplayName("An unknown property of a bound fact ($draw.relm) is reported on its line, in the right rule")
        void unknownPropertyOfABoundFact() throws IOException {
            editRule("sharing.drl", NO_ORIGIN_RULE, "realm == $draw.realm", "realm == $draw.relm");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("sharing.drl");
            assertThat(error.line()).isEqualTo(lineOf("sharing.drl", "$draw.relm"));
            assertThat(error.rule()).isEqualTo(NO_ORIGIN_RULE);
            assertThat(error.message()).contains("relm");
        }

        @Test
        @DisplayName("A misspelt method used in several rules is reported in the rule that misspells it")
        void unknownMethodInOneOfSimilarRules() throws IOException {
            // isActiveAt($draw.at) is in several rules of sharing.drl; misspell it in one
            editRule("sharing.drl", FROM_SHARING_DATE_RULE, "isActiveAt(", "isActivAt(");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("sharing.drl");
            assertThat(error.line()).isEqualTo(lineOf("sharing.drl", "isActivAt("));
            assertThat(error.rule()).isEqualTo(FROM_SHARING_DATE_RULE);
        }

        @Test
        @DisplayName("An unknown fact type is reported on the line of its pattern")
        void unknownFactType() throws IOException {
            edit("expiry.drl", "$change : PlanChange( kind", "$change : PlanChang( kind");

            List<RuleError> errors = refusal();

            assertThat(errors).anySatisfy(e -> {
                assertThat(e.file()).isEqualTo("expiry.drl");
                assertThat(e.line()).isEqualTo(lineOf("expiry.drl", "PlanChang("));
                assertThat(e.rule()).isEqualTo(UPGRADE_RULE);
            });
            assertThat(errors).allSatisfy(e -> assertThat(e.file()).isEqualTo("expiry.drl"));
        }

        @Test
        @DisplayName("A Java error in a consequence is reported in the .drl file, on the consequence's line")
        void javaErrorInConsequence() throws IOException {
            edit("exemption.drl", "insert(new Exemption(Reason.FAILED_CALL));", "insert(new Exemption(Reason.FAILED_CAL));");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("exemption.drl");
            assertThat(error.line()).isEqualTo(lineOf("exemption.drl", "Reason.FAILED_CAL)"));
            assertThat(error.rule()).isEqualTo(FAILED_RULE);
            assertThat(error.message()).contains("FAILED_CAL");
        }

        @Test
        @DisplayName("A Java error in one of several identical consequences is reported in the rule that has it")
        void javaErrorInOneOfIdenticalConsequences() throws IOException {
            // sharing.drl has three rules whose consequence is `insert(new EligibleLot($lot, ...))`; break one
            editRule("sharing.drl", FROM_SHARING_DATE_RULE, "new EligibleLot($lot,", "new EligibleLot($lott,");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("sharing.drl");
            assertThat(error.line()).isEqualTo(lineOf("sharing.drl", "$lott"));
            assertThat(error.rule()).isEqualTo(FROM_SHARING_DATE_RULE);
        }

        @Test
        @DisplayName("A Java error on the second line of a multi-line consequence is reported on that line")
        void javaErrorInMultiLineConsequence() throws IOException {
            edit("priority.drl", "OrderKey.EARLIEST_EFFECTIVE_AT, OrderKey.LOT_ID", "OrderKey.EARLIEST_EFFECTIVE, OrderKey.LOT_ID");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("priority.drl");
            assertThat(error.line()).isEqualTo(lineOf("priority.drl", "OrderKey.EARLIEST_EFFECTIVE,"));
            assertThat(error.rule()).isEqualTo(PRIORITY_RULE);
        }

        @Test
        @DisplayName("A Java method called with a wrong argument in a consequence is reported on its line")
        void javaWrongArgumentInConsequence() throws IOException {
            edit("expiry.drl", "$change.getAt(),", "$change.atPlusHours(\"24\"),");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("expiry.drl");
            assertThat(error.line()).isEqualTo(lineOf("expiry.drl", "atPlusHours"));
            assertThat(error.rule()).isEqualTo(UPGRADE_RULE);
        }

        @Test
        @DisplayName("A Java syntax error (missing ;) in a consequence is reported on its line")
        void javaSyntaxErrorInConsequence() throws IOException {
            edit("priority.drl", "OrderKey.LOT_ID));", "OrderKey.LOT_ID))");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("priority.drl");
            assertThat(error.line()).isEqualTo(lineOf("priority.drl", "OrderKey.LOT_ID))"));
            assertThat(error.rule()).isEqualTo(PRIORITY_RULE);
        }

        @Test
        @DisplayName("Without a priority rule there is no deduction order: the self-check refuses the rule set")
        void missingPriorityRule() throws IOException {
            String content = Files.readString(rules.resolve("priority.drl"));
            Files.writeString(rules.resolve("priority.drl"), content.substring(0, content.indexOf("rule \"")));

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("(self-check)");
            assertThat(error.message()).contains("DeductionOrder").contains("got 0");
        }

        @Test
        @DisplayName("A priority rule for products only gives the forecast no order of the account's lots: refused")
        void priorityForProductsOnly() throws IOException {
            edit("priority.drl", "    Draw()", "    Draw(product != null)");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("(self-check)");
            assertThat(error.message()).contains("DeductionOrder").contains("got 0");
        }

        @Test
        @DisplayName("A holds.drl that concludes no excess treatment is refused in the self-check's own words")
        void missingExcessTreatment() throws IOException {
            String content = Files.readString(rules.resolve("holds.drl"));
            Files.writeString(rules.resolve("holds.drl"), content.substring(0, content.indexOf("rule \"")));

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("(self-check)");
            assertThat(error.message()).contains("holds.drl must conclude exactly one ExcessTreatment");
        }

        @Test
        @DisplayName("A deduction order that does not end with the lot id is not total: the self-check refuses it")
        void deductionOrderThatIsNotTotal() throws IOException {
            edit("priority.drl", ", OrderKey.LOT_ID));", "));");

            RuleError error = only(refusal());

            assertThat(error.message()).contains("OrderKey.LOT_ID");
        }

        @Test
        @DisplayName("A rule that compiles but throws on a sample call is refused, naming its file and rule")
        void ruleThatThrowsAtEvaluation() throws IOException {
            edit("exemption.drl", "Instants.at(\"2026-05-20T12:00+08:00\")", "Instants.at(\"2026-05-20 12:00\")");

            RuleError error = only(refusal());

            assertThat(error.file()).isEqualTo("exemption.drl");
            assertThat(error.line()).isEqualTo(lineOf("exemption.drl", "rule \"A successful call before"));
            assertThat(error.rule()).startsWith("A successful call before the Credits model starts");
            assertThat(error.message()).contains("fail on a sample call");
        }

        @Test
        @DisplayName("Mistakes in two files are all reported, each with its own file")
        void mistakesInTwoFiles() throws IOException {
            edit("exemption.drl", "UsageCall( outcome == Outcome.FAILED )", "UsageCall( outcom == Outcome.FAILED )");
            edit("expiry.drl", "plan == $change.fromPlan", "plan == $change.fromPlann");

            List<RuleError> errors = refusal();

            assertThat(errors).extracting(RuleError::file, RuleError::line).contains(
                    tuple("exemption.drl", lineOf("exemption.drl", "outcom ==")),
                    tuple("expiry.drl", lineOf("expiry.drl", "fromPlann")));
        }
    }

    @Nested
    @DisplayName("The rules version is a hash of the rule files' content")
    class Version {
        @Test
        @DisplayName("The same content gives the same version")
        void sameContentSameVersion(@TempDir Path other) throws IOException {
            for (RuleFile f : RulesCompiler.read(rules)) {
                // tables/prices.csv is read from the tables folder, named with it
                Files.createDirectories(other.resolve(f.name()).getParent());
                Files.writeString(other.resolve(f.name()), f.content(), StandardCharsets.UTF_8);
            }

            String version = RulesCompiler.version(RulesCompiler.read(rules));

            assertThat(version).matches("[0-9a-f]{16}");
            assertThat(RulesCompiler.version(RulesCompiler.read(other))).isEqualTo(version);
            assertThat(TestServices.rules().current().version()).isEqualTo(version);
            assertThat(RulesCompiler.compile(RulesCompiler.read(other), Instant.now()).version()).isEqualTo(version);
        }

        @Test
        @DisplayName("Changing one byte of one file changes the version")
        void oneByteChangesTheVersion() throws IOException {
            String before = RulesCompiler.version(RulesCompiler.read(rules));
            Path file = rules.resolve("priority.drl");
            byte[] bytes = Files.readAllBytes(file);
            int i = new String(bytes, StandardCharsets.UTF_8).indexOf("order must be total");
            bytes[i] = (byte) 'O'; // "order" -> "Order", in a comment: the rules still mean the same
            Files.write(file, bytes);

            String after = RulesCompiler.version(RulesCompiler.read(rules));

            assertThat(after).isNotEqualTo(before);
            assertThat(RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()).version()).isEqualTo(after);
        }

        @Test
        @DisplayName("Renaming a file changes the version")
        void renamingAFileChangesTheVersion() throws IOException {
            String before = RulesCompiler.version(RulesCompiler.read(rules));
            Files.move(rules.resolve("expiry.drl"), rules.resolve("expiry-v2.drl"));

            assertThat(RulesCompiler.version(RulesCompiler.read(rules))).isNotEqualTo(before);
        }
    }

    @Nested
    @DisplayName("Reload: the previous rule set keeps serving when the new one is refused")
    class Reload {
        private final Clock clock = Clock.fixed(Instant.parse("2026-07-01T00:00:00Z"), ZoneOffset.UTC);

        @Test
        @DisplayName("A reload of a broken folder throws and leaves the previous version serving")
        void brokenReloadKeepsThePreviousVersion() throws IOException {
            PolicyEngine engine = PolicyEngine.load(rules, clock);
            RuleSet serving = engine.current();
            edit("exemption.drl", "UsageCall( outcome == Outcome.FAILED )", "UsageCall( outcom == Outcome.FAILED )");

            assertThatThrownBy(engine::reload).isInstanceOf(RulesInvalidException.class)
                    .hasMessageContaining("exemption.drl:" + lineOf("exemption.drl", "outcom =="));

            assertThat(engine.current()).isSameAs(serving);
            assertThat(engine.current().version()).isEqualTo(serving.version());
            UsageCall failed = call().failed().build();
            assertThat(Deduction.decide(failed, engine.current().evaluateUsage(failed, List.of())).status())
                    .isEqualTo(Status.EXEMPT);
        }

        @Test
        @DisplayName("A reload of unchanged content keeps the version; a fixed folder is then taken up")
        void reloadAfterTheFix() throws IOException {
            PolicyEngine engine = PolicyEngine.load(rules, clock);
            RuleSet first = engine.current();

            PolicyEngine.Reload same = engine.reload();
            assertThat(same.changed()).isFalse();
            assertThat(same.rules()).isSameAs(first);

            edit("priority.drl", "OrderKey.LOT_ID));", "OrderKey.LOT_ID))");
            assertThatThrownBy(engine::reload).isInstanceOf(RulesInvalidException.class);
            assertThat(engine.current()).isSameAs(first);

            edit("priority.drl", "OrderKey.LOT_ID))", "OrderKey.LOT_ID)); // fixed");
            PolicyEngine.Reload fixed = engine.reload();
            assertThat(fixed.changed()).isTrue();
            assertThat(engine.current()).isSameAs(fixed.rules());
            assertThat(engine.current().version()).isNotEqualTo(first.version());
        }
    }
}
