package dev.creditspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.policy.facts.AddonGrant;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PriceQuestion;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Tier;
import dev.creditspolicy.policy.facts.UsageCall;
import dev.creditspolicy.support.HostileRules;
import dev.creditspolicy.support.TestServices;

/**
 * Each file of the hostile corpus, added to the serving folder and reloaded: refused with its file and line, its
 * payload never run (no marker file, no secret in the refusal), and the serving rules answer exactly as before.
 */
@DisplayName("Hostile rule files are refused on their parsed form; the serving rules answer as before")
class HostileRulesTest {
    @TempDir
    static Path dir;
    static Path rules;
    static PolicyEngine engine;
    static String secret;
    /** The serving rules' answers before any hostile reload. */
    static String baseline;

    @BeforeAll
    static void serve() {
        secret = HostileRules.secret();
        rules = TestServices.copyOfRules(dir.resolve("serving"));
        engine = PolicyEngine.load(rules, Clock.fixed(TestServices.NOW, ZoneOffset.UTC));
        baseline = decisions(engine.current());
    }

    @AfterEach
    void removeTheHostileFile() throws IOException {
        Files.deleteIfExists(rules.resolve(HostileRules.FILE));
    }

    static List<String> corpus() {
        return HostileRules.corpus();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @DisplayName("refused with file and line, the payload not run, the secret not echoed, decisions unchanged")
    void refused(String name, @TempDir Path tmp) {
        Path marker = tmp.resolve("marker");
        RuleSet serving = engine.current();
        HostileRules.addTo(rules, name, marker);

        RulesInvalidException e = catchThrowableOfType(RulesInvalidException.class, engine::reload);

        assertThat(e).as("a reload of %s must be refused", name).isNotNull();
        assertThat(e.errors()).anySatisfy(error -> {
            assertThat(error.file()).isEqualTo(HostileRules.FILE);
            assertThat(error.line()).isPositive();
        });
        assertThat(e.getMessage()).doesNotContain(secret);
        assertThat(marker).doesNotExist();
        assertThat(engine.current()).isSameAs(serving);
        assertThat(Plan.ENTERPRISE_TEAMS.tier()).isEqualTo(Tier.ENTERPRISE);
        assertThat(decisions(engine.current())).isEqualTo(baseline);
    }

    /**
     * What the rules answer, as text: a decision for every plan and product on two lots, the refusals of an add-on
     * grant for every plan (the reflection trick made enterprise grants succeed), and a price.
     */
    static String decisions(RuleSet rules) {
        StringBuilder out = new StringBuilder();
        Instant at = RuleFixtures.at("2026-07-03T10:00:00+08:00");
        for (Plan plan : Plan.values()) {
            for (Product product : Product.values()) {
                UsageCall call = RuleFixtures.call().plan(plan).product(product).at(at).build();
                out.append(Deduction.decide(call, rules.evaluateUsage(call, List.of(
                        RuleFixtures.planLot("plan").plan(plan).build(),
                        RuleFixtures.addonLot("addon").remaining("5").build())))).append('\n');
            }
            rules.evaluateGrant(new AddonGrant(RuleFixtures.ALICE, plan, LotSource.PURCHASE, at)).forEach(r ->
                    out.append(plan).append(" grant refused: ").append(r.getProblem()).append(": ")
                            .append(r.getMessage()).append('\n'));
        }
        BigDecimal price = rules.price(new PriceQuestion("qwen3-coder", Feature.QUEST_AGENT, at, 1000, 10, 500))
                .getCredits();
        return out.append(price).toString();
    }
}
