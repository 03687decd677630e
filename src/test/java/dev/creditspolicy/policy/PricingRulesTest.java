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

/** pricing.drl and tables/prices.csv on their own: what they price, and the tables the loader refuses. */
class PricingRulesTest {
    private static final Instant JUL = OffsetDateTime.parse("2026-07-02T10:00:00+08:00").toInstant();
    private static final Instant OCT = OffsetDateTime.parse("2026-10-02T10:00:00+08:00").toInstant();

    @Test
    @DisplayName("the repository's table prices its three models at both dates; an unknown model has no price")
    void repositoryPrices() {
        RuleSet rules = TestServices.rules().current();
        assertThat(rules.pricedModels(JUL)).containsExactly("qwen3-coder", "qwen3-coder-flash", "qwen3-max");
        assertThat(rules.pricedModels(OCT)).containsExactly("qwen3-coder", "qwen3-coder-flash", "qwen3-max");
        Price july = rules.price(new PriceQuestion("qwen3-coder", Feature.EDITOR_ASK, JUL, 1000, 0, 1000));
        Price october = rules.price(new PriceQuestion("qwen3-coder", Feature.EDITOR_ASK, OCT, 1000, 0, 1000));
        assertThat(july.getCredits()).isEqualByComparingTo("1");
        assertThat(october.getCredits()).isEqualByComparingTo("0.75");
        assertThat(rules.price(new PriceQuestion("gpt-unknown", Feature.EDITOR_ASK, JUL, 1, 0, 1))).isNull();
    }

    @Test
    @DisplayName("the rounding is the rule's: PriceRounding.UP instead of HALF_UP rounds 0.0100125 up to 0.0101")
    void roundingIsTheRules(@TempDir Path dir) throws IOException {
        RuleSet up = compiledWith(dir, "pricing.drl", "PriceRounding.HALF_UP", "PriceRounding.UP");
        PriceQuestion q = new PriceQuestion("qwen3-coder-flash", Feature.EDITOR_ASK, JUL, 200, 1, 0);
        assertThat(up.price(q).getRounded()).isEqualByComparingTo(new BigDecimal("0.0101"));
        assertThat(TestServices.rules().current().price(q).getRounded()).isEqualByComparingTo("0.0100");
    }

    @Test
    @DisplayName("a table that gives a feature no multiplier or a model two prices at once (also only from a later "
            + "date) is refused, naming the file and, for a row, its line and name")
    void brokenTablesRefused(@TempDir Path dir) throws IOException {
        Path noAsk = TestServices.copyOfRules(dir.resolve("no-ask"));
        replace(noAsk.resolve("tables/prices.csv"), "Ask costs the model's rates,EDITOR_ASK,1,,,,,\n", "");
        RuleError missing = refusalOf(noAsk);
        assertThat(missing.file()).isEqualTo("tables/prices.csv");
        assertThat(missing.message()).contains("no multiplier for [EDITOR_ASK]");

        Path overlap = TestServices.copyOfRules(dir.resolve("overlap"));
        Path overlapTable = overlap.resolve("tables/prices.csv");
        replace(overlapTable, "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,",
                "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,\nqwen3-max rates too,qwen3-max,,,0.7,0.15,2.4,");
        RuleError twice = refusalOf(overlap);
        assertThat(twice.line()).isEqualTo(lineOf(overlapTable, "qwen3-max rates too,"));
        assertThat(twice.rule()).isEqualTo("qwen3-max rates too");
        assertThat(twice.message()).contains("qwen3-max has two prices at once").contains("\"qwen3-max rates\" (line "
                + lineOf(overlapTable, "qwen3-max rates,") + ")");

        // overlapping only from 2026-10-01: refused all the same, naming where the overlap starts
        Path lateOverlap = TestServices.copyOfRules(dir.resolve("late-overlap"));
        replace(lateOverlap.resolve("tables/prices.csv"), "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,",
                "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,\nqwen3-max rates from October,qwen3-max,"
                        + "2026-10-01T00:00+08:00,,0.7,0.15,2.4,");
        assertThat(refusalOf(lateOverlap).message()).contains("qwen3-max has two prices at once")
                .contains("from 2026-09-30T16:00:00Z");

        // rows that meet (one's Until is the other's From) do not overlap: the repository's qwen3-coder rows
        Path meeting = TestServices.copyOfRules(dir.resolve("meeting"));
        replace(meeting.resolve("tables/prices.csv"), "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,",
                "qwen3-max rates,qwen3-max,,2026-10-01T00:00+08:00,0.6,0.15,2.4,\nqwen3-max rates from October,"
                        + "qwen3-max,2026-10-01T00:00+08:00,,0.9,0.225,3.6,");
        RuleSet met = RulesCompiler.compile(RulesCompiler.read(meeting), Instant.now());
        Instant october1 = OffsetDateTime.parse("2026-10-01T00:00:00+08:00").toInstant();
        assertThat(met.price(new PriceQuestion("qwen3-max", Feature.EDITOR_ASK, october1.minusSeconds(1), 1000, 0,
                0)).getCredits()).isEqualByComparingTo("0.6");
        assertThat(met.price(new PriceQuestion("qwen3-max", Feature.EDITOR_ASK, october1, 1000, 0, 0)).getCredits())
                .isEqualByComparingTo("0.9");
    }

    @Test
    @DisplayName("every mistake of the table is named at once, each with its line and row: a second multiplier, an "
            + "unknown feature, a bad instant, From not before Until, a missing rate, a repeated name, a stray line")
    void everyMistakeAtOnce(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        Path table = rules.resolve("tables/prices.csv");
        replace(table, "qwen3-coder-flash rates,qwen3-coder-flash,,,0.05,0.0125,0.2,",
                "qwen3-coder-flash rates,qwen3-coder-flash,,,0.05,0.0125,,");
        replace(table, "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,",
                "qwen3-max rates,qwen3-max,1 October,,0.6,0.15,2.4,\n"
                        + "qwen3-huge rates,qwen3-huge,2026-10-01T00:00+08:00,2026-09-01T00:00+08:00,1,1,1,\n"
                        + "qwen3-coder rates from 2026-09-01,qwen3-next,,,1,1,1,");
        replace(table, "Ask costs the model's rates,EDITOR_ASK,1,",
                "Ask costs the model's rates,EDITOR_ASK,1,\nAsk again,EDITOR_ASK,2,\nChat,EDITOR_CHAT,1,");
        Files.writeString(table, Files.readString(table) + "\nstray,line\n");

        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class,
                () -> RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()));
        assertThat(e).isNotNull();
        assertThat(e.errors()).allSatisfy(err -> assertThat(err.file()).isEqualTo("tables/prices.csv"));
        assertThat(e.errors()).extracting(RuleError::toString).containsExactlyInAnyOrder(
                "tables/prices.csv:" + lineOf(table, "qwen3-coder-flash rates,")
                        + " (rule \"qwen3-coder-flash rates\"): an output rate per 1,000 tokens is missing",
                "tables/prices.csv:" + lineOf(table, "qwen3-max rates,") + " (rule \"qwen3-max rates\"): From must be "
                        + "an ISO-8601 instant with its offset (2026-09-01T00:00+08:00) or empty: \"1 October\"",
                "tables/prices.csv:" + lineOf(table, "qwen3-huge rates,") + " (rule \"qwen3-huge rates\"): its From "
                        + "(2026-10-01T00:00+08:00) is not before its Until (2026-09-01T00:00+08:00): the row would "
                        + "price nothing",
                "tables/prices.csv:" + lineOf(table, "qwen3-coder rates from 2026-09-01,qwen3-next")
                        + " (rule \"qwen3-coder rates from 2026-09-01\"): a second row of this name (the first is "
                        + "line " + lineOf(table, "qwen3-coder rates from 2026-09-01,qwen3-coder,") + ")",
                "tables/prices.csv:" + lineOf(table, "Ask again,") + " (rule \"Ask again\"): a second multiplier for "
                        + "EDITOR_ASK (the first is the row \"Ask costs the model's rates\"): every feature needs "
                        + "exactly one",
                "tables/prices.csv:" + lineOf(table, "Chat,") + " (rule \"Chat\"): \"EDITOR_CHAT\" is not a feature; "
                        + "the features are " + java.util.Arrays.toString(Feature.values()),
                "tables/prices.csv:" + lineOf(table, "stray,") + ": a line outside the two sections; the table has a "
                        + "\"Model rates\" and a \"Feature multipliers\" section (a title line, a header line, rows, "
                        + "an empty line), and \"Notes\" lines");
    }

    @Test
    @DisplayName("a header whose columns are out of order is refused at its line (a rate would be read as another)")
    void headerChecked(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        Path table = rules.resolve("tables/prices.csv");
        String header = Files.readAllLines(table).get(lineOf(table, "Name,Model,") - 1);
        replace(table, header, header.replace("Input per 1000 tokens,", "TEMP,")
                .replace("Output per 1000 tokens,", "Input per 1000 tokens,").replace("TEMP,", "Output per 1000 tokens,"));
        RuleError error = refusalOf(rules);
        assertThat(error.line()).isEqualTo(lineOf(table, "Name,Model,"));
        assertThat(error.message()).contains("column 5 is \"Output per 1000 tokens\"");
    }

    @Test
    @DisplayName("a mistake in the table and one in a .drl are named together")
    void tableAndDrlTogether(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        replace(rules.resolve("tables/prices.csv"), "qwen3-max rates,qwen3-max,,,0.6,0.15,2.4,",
                "qwen3-max rates,qwen3-max,,,0.6,0.15,two,");
        replace(rules.resolve("pricing.drl"), "import dev.creditspolicy.policy.facts.*;",
                "import dev.creditspolicy.policy.facts.*;\nimport java.io.File;");
        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class,
                () -> RulesCompiler.compile(RulesCompiler.read(rules), Instant.now()));
        assertThat(e).isNotNull();
        assertThat(e.errors()).extracting(RuleError::file).containsExactlyInAnyOrder("pricing.drl",
                "tables/prices.csv");
    }

    @Test
    @DisplayName("a pricing.drl that prices a call twice only from a date it writes is refused by the self-check")
    void pricedTwiceFromADateRefused(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        Files.writeString(rules.resolve("pricing.drl"), Files.readString(rules.resolve("pricing.drl")) + """

                rule "From 2026-11-01 a call costs at least 0.02 credits"
                when
                    $q: PriceQuestion( $rate : rate != null, $multiplier : multiplier,
                                       at >= Instants.at("2026-11-01T00:00+08:00") )
                then
                    insert(Price.of($q, $rate, $multiplier, "0.02", PriceRounding.HALF_UP, drools.getRule().getName()));
                end
                """);
        RuleError error = refusalOf(rules);
        assertThat(error.message()).contains("fail on a sample call").contains("got 2 prices")
                .contains("2026-10-31T16:00:00Z");
    }

    @Test
    @DisplayName("a rules folder without tables/prices.csv prices nothing: every model is unpriced, none listed")
    void noTableNoPrices(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        Files.delete(rules.resolve("tables/prices.csv"));
        RuleSet none = RulesCompiler.compile(RulesCompiler.read(rules), Instant.now());
        assertThat(none.pricedModels(JUL)).isEmpty();
        assertThat(none.price(new PriceQuestion("qwen3-coder", Feature.EDITOR_ASK, JUL, 1000, 0, 1000))).isNull();
    }

    @Test
    @DisplayName("the minimum is pricing.drl's: 0.05 instead of 0.01 charges a 1-token call 0.05")
    void minimumIsTheRules(@TempDir Path dir) throws IOException {
        RuleSet higher = compiledWith(dir, "pricing.drl", "\"0.01\", PriceRounding", "\"0.05\", PriceRounding");
        PriceQuestion q = new PriceQuestion("qwen3-coder-flash", Feature.EDITOR_ASK, JUL, 1, 0, 0);
        assertThat(higher.price(q).getCredits()).isEqualByComparingTo("0.05");
        assertThat(higher.price(q).isMinimumApplied()).isTrue();
        assertThat(TestServices.rules().current().price(q).getCredits()).isEqualByComparingTo("0.01");
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

    @Test
    @DisplayName("a table that is not CSV (a quote never closed) is refused naming the file")
    void unreadableTable(@TempDir Path dir) throws IOException {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        replace(rules.resolve("tables/prices.csv"), "qwen3-max rates,qwen3-max,", "\"qwen3-max rates,qwen3-max,");
        RuleError error = refusalOf(rules);
        assertThat(error.file()).isEqualTo("tables/prices.csv");
        assertThat(error.line()).isEqualTo(lineOf(rules.resolve("tables/prices.csv"), "\"qwen3-max rates,"));
        assertThat(error.message()).startsWith("not a readable CSV table").contains("EOF");
    }

    /** The repository's rules with one replacement in one file, compiled. */
    private static RuleSet compiledWith(Path dir, String file, String from, String to) throws IOException {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        replace(rules.resolve(file), from, to);
        return RulesCompiler.compile(RulesCompiler.read(rules), Instant.now());
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

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

}
