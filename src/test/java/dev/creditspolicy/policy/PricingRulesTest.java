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
