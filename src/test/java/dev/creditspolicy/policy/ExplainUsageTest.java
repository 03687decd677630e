package dev.creditspolicy.policy;

import static dev.creditspolicy.policy.RuleFixtures.addonLot;
import static dev.creditspolicy.policy.RuleFixtures.call;
import static dev.creditspolicy.policy.RuleFixtures.planLot;
import static dev.creditspolicy.policy.RuleFixtures.rules;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PriceQuestion;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.policy.facts.UsageCall;

/** Explain mode: every lot of the account says why the call drew on it or not, with the rule that decided. */
class ExplainUsageTest {
    static final String EXPIRED_RULE = "An expired lot is not drawn on";
    static final String NOT_YET_RULE = "A lot not yet effective is not drawn on";
    static final String EMPTY_RULE = "A lot with no credits left is not drawn on";
    static final String NOT_SHARED_NO_ORIGIN_RULE =
            "A lot without an origin product is not drawn on by a product its tier does not share with";
    static final String NOT_SHARED_ORIGIN_RULE = "From the sharing date (2026-06-20T00:00+08:00), a lot that names an "
            + "origin product is not drawn on by a product its tier does not share with";
    static final String ORIGIN_RULE =
            "Before the sharing date (2026-06-20T00:00+08:00), a lot that names another origin product is not drawn on";
    static final String NO_ORIGIN_RULE = SharingTruthMaintenanceTest.NO_ORIGIN_RULE;
    static final List<String> EXPLAIN_RULES = List.of(EXPIRED_RULE, NOT_YET_RULE, EMPTY_RULE,
            NOT_SHARED_NO_ORIGIN_RULE, NOT_SHARED_ORIGIN_RULE, ORIGIN_RULE);

    /** The decision as the ledger makes it, then the final per-lot explanations. */
    private static List<LotExplanation> explain(UsageCall call, Lot... lots) {
        UsageExplanation explained = rules().explainUsage(call, List.of(lots));
        UsageDecision decision = Deduction.decide(call, explained.verdict());
        Map<String, BigDecimal> drawn = new LinkedHashMap<>();
        for (Allocation a : decision.allocations()) {
            drawn.put(a.lotId(), a.amount());
        }
        return explained.explain(decision.status(), drawn);
    }

    @Test
    @DisplayName("Expired, not yet effective, no credits left, not shared: each lot of an enterprise JetBrains call says why")
    void everyReasonALotIsNotDrawn() {
        UsageCall call = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.JETBRAINS).credits("5").build();
        Lot expired = planLot("a-expired").from("2026-06-01T00:00:00+08:00").until("2026-07-01T00:00:00+08:00").build();
        Lot future = planLot("b-future").from("2026-08-01T00:00:00+08:00").until("2026-09-01T00:00:00+08:00").build();
        Lot empty = planLot("c-empty").remaining("0").build();
        Lot plan = planLot("d-plan").plan(Plan.ENTERPRISE_TEAMS).build();
        Lot origin = addonLot("e-origin").origin(Product.IDE).build();

        assertThat(explain(call, origin, plan, empty, future, expired)).containsExactly(
                new LotExplanation("a-expired", LotType.PLAN, "expired", EXPIRED_RULE),
                new LotExplanation("b-future", LotType.PLAN, "not yet effective", NOT_YET_RULE),
                new LotExplanation("c-empty", LotType.PLAN, "no credits left", EMPTY_RULE),
                new LotExplanation("d-plan", LotType.PLAN, "not shared with JETBRAINS for ENTERPRISE_TEAMS",
                        NOT_SHARED_NO_ORIGIN_RULE),
                new LotExplanation("e-origin", LotType.ADDON, "not shared with JETBRAINS for ENTERPRISE_TEAMS",
                        NOT_SHARED_ORIGIN_RULE));
    }

    @Test
    @DisplayName("Drawn 12.5, not needed, origin product before the sharing date: eligible lots first, in deduction order")
    void drawnNotNeededAndOrigin() {
        UsageCall call = call().product(Product.CLI).credits("12.5").at("2026-06-10T10:00:00+08:00").build();
        Lot soon = planLot("plan-jun").from("2026-06-01T00:00:00+08:00").until("2026-07-01T00:00:00+08:00").build();
        Lot later = addonLot("pack-1").from("2026-06-01T00:00:00+08:00").until("2026-08-01T00:00:00+08:00").build();
        Lot ide = addonLot("ide-pack").origin(Product.IDE).from("2026-06-01T00:00:00+08:00").build();

        assertThat(explain(call, ide, later, soon)).containsExactly(
                new LotExplanation("plan-jun", LotType.PLAN, "drawn 12.5", NO_ORIGIN_RULE),
                new LotExplanation("pack-1", LotType.ADDON, "not needed", NO_ORIGIN_RULE),
                new LotExplanation("ide-pack", LotType.ADDON, "origin product IDE before the sharing date",
                        ORIGIN_RULE));
    }

    @Test
    @DisplayName("An insufficient call draws nothing: its eligible lots say the eligible lots hold less than the cost")
    void insufficientCall() {
        UsageCall call = call().credits("500").build();

        assertThat(explain(call, planLot("plan-jul").build())).containsExactly(new LotExplanation("plan-jul",
                LotType.PLAN, UsageExplanation.NOT_DRAWN_INSUFFICIENT, NO_ORIGIN_RULE));
    }

    @Test
    @DisplayName("An exempt call needs none of its eligible lots")
    void exemptCall() {
        UsageCall call = call().failed().build();

        assertThat(explain(call, planLot("plan-jul").build())).containsExactly(
                new LotExplanation("plan-jul", LotType.PLAN, "not needed", NO_ORIGIN_RULE));
    }

    @Test
    @DisplayName("Explaining changes nothing: the verdict, fired rules included, is the ordinary evaluation's, "
            + "and an ordinary evaluation fires no explaining rule")
    void explainingChangesNothing() {
        UsageCall call = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.JETBRAINS).credits("5").build();
        List<Lot> lots = List.of(planLot("d-plan").plan(Plan.ENTERPRISE_TEAMS).build(),
                planLot("c-empty").remaining("0").build(),
                planLot("a-expired").until("2026-07-02T00:00:00+08:00").build());

        UsageVerdict ordinary = rules().evaluateUsage(call, lots);
        UsageVerdict explained = rules().explainUsage(call, lots).verdict();

        assertThat(explained).isEqualTo(ordinary);
        assertThat(ordinary.firedRules()).doesNotContainAnyElementsOf(EXPLAIN_RULES);
        assertThat(Deduction.decide(call, explained).status()).isEqualTo(Status.INSUFFICIENT);
    }

    @Test
    @DisplayName("A call in tokens explained: the same verdict and price as its ordinary evaluation, the table's rows "
            + "among the fired rules, and each lot explained")
    void explainingATokenCall() {
        UsageCall call = call().product(Product.CLI).at("2026-07-03T10:00:00+08:00").build();
        PriceQuestion price = new PriceQuestion("qwen3-coder", call.getFeature(), call.getOccurredAt(), 1000, 0, 1000);
        List<Lot> lots = List.of(planLot("plan-jul").build(),
                planLot("a-expired").until("2026-07-02T00:00:00+08:00").build());

        UsageVerdict ordinary = rules().evaluateUsage(call, lots, price);
        UsageExplanation explained = rules().explainUsage(call, lots, price);

        assertThat(explained.verdict()).usingRecursiveComparison().isEqualTo(ordinary);
        assertThat(ordinary.price().getCredits()).isEqualByComparingTo("2"); // (0.2 + 0.8) x 2, Quest agent
        assertThat(ordinary.firedRules()).contains("qwen3-coder rates until 2026-09-01",
                "Quest agent costs twice the model's rates");
        UsageDecision decision = Deduction.decide(call, explained.verdict());
        assertThat(decision.charged()).isEqualByComparingTo("2");
        assertThat(explained.explain(decision.status(), Map.of("plan-jul", new BigDecimal("2")))).extracting(
                LotExplanation::lotId).containsExactly("plan-jul", "a-expired");
    }
}
