package dev.creditspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Price;
import dev.creditspolicy.policy.facts.PriceQuestion;
import dev.creditspolicy.support.TestServices;

/** pricing.drl and tables/prices.csv on their own: what they price, and the tables the self-check refuses. */
class PricingRulesTest {
    private static final Instant JUL = OffsetDateTime.parse("2026-07-02T10:00:00+08:00").toInstant();
    private static final Instant OCT = OffsetDateTime.parse("2026-10-02T10:00:00+08:00").toInstant();

    @Test
    @DisplayName("the repository's table prices its three models at both dates; an unknown model has no price")
    void repositoryPrices() {
        RuleSet rules = TestServices.rules().current();
        assertThat(rules.pricedModels(Feature.EDITOR_ASK, JUL)).containsExactly("qwen3-coder", "qwen3-coder-flash",
                "qwen3-max");
        assertThat(rules.pricedModels(Feature.QUEST_EXPERTS, OCT)).containsExactly("qwen3-coder",
                "qwen3-coder-flash", "qwen3-max");
        Price july = rules.price(new PriceQuestion("qwen3-coder", Feature.EDITOR_ASK, JUL, 1000, 0, 1000));
        Price october = rules.price(new PriceQuestion("qwen3-coder", Feature.EDITOR_ASK, OCT, 1000, 0, 1000));
        assertThat(july.getCredits()).isEqualByComparingTo("1");
        assertThat(october.getCredits()).isEqualByComparingTo("0.75");
        assertThat(rules.price(new PriceQuestion("gpt-unknown", Feature.EDITOR_ASK, JUL, 1, 0, 1))).isNull();
    }

    @Test
    @DisplayName("the rounding is the rule's: PriceRounding.UP instead of HALF_UP rounds 0.0100125 up to 0.0101")
    void roundingIsTheRules(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        replace(rules.resolve("pricing.drl"), "PriceRounding.HALF_UP", "PriceRounding.UP");
        RuleSet up = RulesCompiler.compile(RulesCompiler.read(rules), Instant.now());
        PriceQuestion q = new PriceQuestion("qwen3-coder-flash", Feature.EDITOR_ASK, JUL, 200, 1, 0);
        assertThat(up.price(q).getRounded()).isEqualByComparingTo(new BigDecimal("0.0101"));
        assertThat(TestServices.rules().current().price(q).getRounded()).isEqualByComparingTo("0.0100");
    }

    @Test
    @DisplayName("a table that gives a feature no multiplier, a model two prices at once (also only from a later "
            + "date), or a rate that is not a number is refused by the self-check")
    void brokenTablesRefused(@TempDir Path dir) throws IOException {
        Path noAsk = TestServices.copyOfRules(dir.resolve("no-ask"));
        replace(noAsk.resolve("tables/prices.csv"), "Ask costs the model's rates,EDITOR_ASK,1,,,,,\n", "");
        assertThat(refusal(noAsk)).contains("feature EDITOR_ASK no multiplier");

        Path overlap = TestServices.copyOfRules(dir.resolve("overlap"));
        replace(overlap.resolve("tables/prices.csv"), "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,",
                "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,\nqwen3-max rates too,qwen3-max,,,0.7,0.15,2.4,");
        assertThat(refusal(overlap)).contains("qwen3-max 2 prices");

        // overlapping only from 2026-10-01 (not at the self-check's sample instant): found at the row's From
        Path lateOverlap = TestServices.copyOfRules(dir.resolve("late-overlap"));
        replace(lateOverlap.resolve("tables/prices.csv"), "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,",
                "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,\nqwen3-max rates from October,qwen3-max,"
                        + "2026-10-01T00:00+08:00,,0.7,0.15,2.4,");
        assertThat(refusal(lateOverlap)).contains("qwen3-max 2 prices").contains("2026-09-30T16:00:00Z");

        Path notANumber = TestServices.copyOfRules(dir.resolve("nan"));
        replace(notANumber.resolve("tables/prices.csv"), "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,",
                "qwen3-max rates,qwen3-max,,,0.6,0.15,two,");
        assertThat(refusal(notANumber)).contains("qwen3-max rates");
    }

    @Test
    @DisplayName("a bad cell of prices.csv is refused naming the table's file and the row's line, as a broken .drl "
            + "is: tables/prices.csv, the line of the row, the row's rule and the cell's value")
    void badCellNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        Path table = rules.resolve("tables/prices.csv");
        replace(table, "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,", "qwen3-max rates,qwen3-max,,,0.6,0.15,two,");
        int line = lineOf(table, "qwen3-max rates,");

        RuleError error = refusalOf(rules);
        assertThat(error.file()).isEqualTo("tables/prices.csv");
        assertThat(error.line()).isEqualTo(line);
        assertThat(error.rule()).isEqualTo("qwen3-max rates");
        assertThat(error.message()).contains("\"two\"");
        assertThat(error.toString()).startsWith("tables/prices.csv:" + line + " (rule \"qwen3-max rates\")");

        // a negative multiplier: the line of its feature's row
        Path negative = TestServices.copyOfRules(dir.resolve("negative"));
        Path negativeTable = negative.resolve("tables/prices.csv");
        replace(negativeTable, "Quest agent costs twice the model's rates,QUEST_AGENT,2,",
                "Quest agent costs twice the model's rates,QUEST_AGENT,-2,");
        RuleError negativeError = refusalOf(negative);
        assertThat(negativeError.file()).isEqualTo("tables/prices.csv");
        assertThat(negativeError.line()).isEqualTo(lineOf(negativeTable, "Quest agent costs twice"));
        assertThat(negativeError.message()).contains("cannot be negative").contains("-2");
    }

    private static RuleError refusalOf(Path rules) {
        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class,
                () -> RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()));
        assertThat(e).isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    /** The 1-based line of the table that starts with {@code start}. */
    private static int lineOf(Path file, String start) throws IOException {
        var lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i + 1;
            }
        }
        throw new AssertionError(file + " has no line starting with " + start);
    }

    private static String refusal(Path rules) {
        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class,
                () -> RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()));
        assertThat(e).isNotNull();
        return e.errors().toString();
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

}
