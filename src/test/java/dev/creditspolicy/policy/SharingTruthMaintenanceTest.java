package dev.creditspolicy.policy;

import static dev.creditspolicy.policy.RuleFixtures.addonLot;
import static dev.creditspolicy.policy.RuleFixtures.allocation;
import static dev.creditspolicy.policy.RuleFixtures.call;
import static dev.creditspolicy.policy.RuleFixtures.decide;
import static dev.creditspolicy.policy.RuleFixtures.ids;
import static dev.creditspolicy.policy.RuleFixtures.planLot;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.policy.facts.UsageCall;
import dev.creditspolicy.support.CandidateRules;
import dev.creditspolicy.support.TestServices;

/**
 * sharing.drl classifies with insertLogical: no salience orders its rules and Java removes no duplicate. A decision
 * lists only the rules whose conclusions stand once truth maintenance is done.
 */
class SharingTruthMaintenanceTest {
    static final String NO_ORIGIN_RULE = "A lot without an origin product serves the products its tier shares with";
    static final String PERSONAL_MATRIX_RULE = "Personal tiers share credits across IDE, JetBrains, QoderWork, CLI and Mobile";
    static final String PRIORITY_RULE = "Soonest-expiring lot first; at equal expiry plan credits before add-on "
            + "credits; then earlier effectiveAt; then lot id";
    static final String FAILED_RULE = "A failed call is exempt: only successful model calls are charged";
    static final String NOT_SHARED_RULE =
            "An account with active credits none of which this product may use is not shared with the product";
    static final String ENTERPRISE_IDE_RULE =
            "Enterprise tiers share credits with IDE and JetBrains from 2026-07-01T00:00+08:00";

    static final String ENTERPRISE_IDE = CandidateRules.ENTERPRISE_IDE;

    private static RuleSet withAppended(Path dir, String file, String drl) throws IOException {
        Path rules = TestServices.copyOfRules(dir);
        Files.writeString(rules.resolve(file), drl, StandardOpenOption.APPEND);
        return RulesCompiler.compile(RulesCompiler.read(rules), Instant.now());
    }

    @Test
    @DisplayName("The README session's answers list exactly the rules they list today")
    void theReadmeSessionFiresTheSameRules() {
        Lot plan = planLot("plan-jul").remaining("100").build();
        Lot pack = addonLot("pack-1").from("2026-07-02T00:00:00+08:00").until("2026-07-20T00:00:00+08:00")
                .remaining("50").build();
        UsageCall r1 = call().request("r1").product(Product.CLI).feature(Feature.QUEST_AGENT).credits("70.5")
                .at("2026-07-03T10:00:00+08:00").build();
        UsageCall r2 = call().request("r2").product(Product.IDE).feature(Feature.EDITOR_ASK).failed().credits("5")
                .at("2026-07-03T11:00:00+08:00").build();

        assertThat(decide(r1, plan, pack).firedRules())
                .containsExactly(NO_ORIGIN_RULE, PERSONAL_MATRIX_RULE, PRIORITY_RULE);
        Lot planAfter = planLot("plan-jul").remaining("79.5").build();
        Lot packAfter = addonLot("pack-1").from("2026-07-02T00:00:00+08:00").until("2026-07-20T00:00:00+08:00")
                .remaining("0").build();
        assertThat(decide(r2, planAfter, packAfter).firedRules())
                .containsExactly(FAILED_RULE, NO_ORIGIN_RULE, PERSONAL_MATRIX_RULE, PRIORITY_RULE);
    }

    @Test
    @DisplayName("A 'not shared' verdict that truth maintenance withdraws (a lot turned eligible later) is neither "
            + "concluded nor listed as fired")
    void aWithdrawnConclusionIsNotListed(@TempDir Path dir) throws IOException {
        // appended at the end of sharing.drl, the matrix rule comes after the "not shared" rule: with no salience,
        // the "not shared" rule fires first, and its conclusion is withdrawn once the lot turns eligible
        RuleSet rules = withAppended(dir, "sharing.drl", ENTERPRISE_IDE);
        UsageCall call = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.IDE).credits("10").build();
        Lot lot = planLot("acme-jul").plan(Plan.ENTERPRISE_TEAMS).build();

        UsageVerdict verdict = rules.evaluateUsage(call, List.of(lot));
        UsageDecision decision = Deduction.decide(call, verdict);

        assertThat(verdict.notSharedWithProduct()).isFalse();
        assertThat(decision.status()).isEqualTo(Status.CHARGED);
        assertThat(decision.reason()).isEqualTo(Reason.CHARGED);
        assertThat(decision.firedRules()).containsExactly(NO_ORIGIN_RULE, ENTERPRISE_IDE_RULE, PRIORITY_RULE);
    }

    @Test
    @DisplayName("Without the new matrix rule the same call is 'not shared', and the rule is listed")
    void anUnwithdrawnConclusionIsListed() {
        UsageCall call = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.IDE).credits("10").build();
        Lot lot = planLot("acme-jul").plan(Plan.ENTERPRISE_TEAMS).build();

        UsageDecision decision = decide(call, lot);

        assertThat(decision.reason()).isEqualTo(Reason.NOT_SHARED_WITH_PRODUCT);
        assertThat(decision.firedRules()).containsExactly(NOT_SHARED_RULE, PRIORITY_RULE);
    }

    @Test
    @DisplayName("A lot two rules let serve is eligible once: truth maintenance merges equal conclusions")
    void aLotTwoRulesLetServeIsEligibleOnce(@TempDir Path dir) throws IOException {
        RuleSet rules = withAppended(dir, "sharing-matrix.drl", """

                rule "Personal tiers share credits with CLI"
                when
                    Draw( tier == Tier.PERSONAL, product == Product.CLI )
                then
                    insert(new SharedWithProduct());
                end
                """);
        UsageCall call = call().product(Product.CLI).credits("130").build();
        Lot plan = planLot("plan-jul").remaining("100").build();
        Lot pack = addonLot("pack-1").remaining("50").build();

        UsageVerdict verdict = rules.evaluateUsage(call, List.of(plan, pack));

        assertThat(ids(verdict.eligibleInOrder())).containsExactly("plan-jul", "pack-1");
        assertThat(Deduction.decide(call, verdict).allocations()).containsExactly(
                allocation("plan-jul", LotType.PLAN, "100"), allocation("pack-1", LotType.ADDON, "30"));
        assertThat(verdict.firedRules()).contains("Personal tiers share credits with CLI", PERSONAL_MATRIX_RULE);
    }
}
