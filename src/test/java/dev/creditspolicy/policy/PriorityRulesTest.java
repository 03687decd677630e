package dev.creditspolicy.policy;

import static dev.creditspolicy.policy.RuleFixtures.addonLot;
import static dev.creditspolicy.policy.RuleFixtures.allocation;
import static dev.creditspolicy.policy.RuleFixtures.call;
import static dev.creditspolicy.policy.RuleFixtures.credits;
import static dev.creditspolicy.policy.RuleFixtures.decide;
import static dev.creditspolicy.policy.RuleFixtures.ids;
import static dev.creditspolicy.policy.RuleFixtures.planLot;
import static dev.creditspolicy.policy.RuleFixtures.rules;
import static dev.creditspolicy.policy.RuleFixtures.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.policy.facts.UsageCall;

/** rules/priority.drl: the order in which a call consumes its eligible lots (and the split that follows). */
class PriorityRulesTest {
    static final String PRIORITY_RULE = "Soonest-expiring lot first; at equal expiry plan credits before add-on "
            + "credits; then earlier effectiveAt; then lot id";

    @Test
    @DisplayName("Among the eligible lots, the one expiring soonest is consumed first")
    void soonestExpiryFirst() {
        Lot late = planLot("a-late").until("2026-08-01T00:00:00+08:00").build();
        Lot soon = planLot("z-soon").until("2026-07-20T00:00:00+08:00").build();
        UsageCall call = call().credits("30").build();

        UsageDecision decision = decide(call, late, soon);

        assertThat(ids(verdict(call, late, soon).eligibleInOrder())).containsExactly("z-soon", "a-late");
        assertThat(decision.allocations()).containsExactly(allocation("z-soon", LotType.PLAN, "30"));
        assertThat(decision.firedRules()).contains(PRIORITY_RULE);
    }

    @Test
    @DisplayName("Expiry comes before type: an add-on lot that expires sooner is consumed before a plan lot")
    void soonerAddonBeforeLaterPlan() {
        Lot plan = planLot("plan-jul").until("2026-08-01T00:00:00+08:00").build();
        Lot pack = addonLot("pack-1").until("2026-07-15T00:00:00+08:00").build();

        assertThat(ids(verdict(call().build(), plan, pack).eligibleInOrder())).containsExactly("pack-1", "plan-jul");
    }

    @Test
    @DisplayName("At equal expiry, plan credits before add-on credits")
    void planBeforeAddonAtEqualExpiry() {
        // the add-on has the earlier effectiveAt and the smaller id: only the type can put the plan lot first
        Lot pack = addonLot("a-pack").from("2026-06-15T00:00:00+08:00").until("2026-08-01T00:00:00+08:00").build();
        Lot plan = planLot("z-plan").from("2026-07-01T00:00:00+08:00").until("2026-08-01T00:00:00+08:00").build();
        UsageCall call = call().credits("20").build();

        assertThat(ids(verdict(call, pack, plan).eligibleInOrder())).containsExactly("z-plan", "a-pack");
        assertThat(decide(call, pack, plan).allocations()).containsExactly(allocation("z-plan", LotType.PLAN, "20"));
    }

    @Test
    @DisplayName("At equal expiry and type, the earlier effectiveAt first")
    void earlierEffectiveAtFirst() {
        Lot older = addonLot("z-older").source(LotSource.PROMOTION).from("2026-06-01T00:00:00+08:00").build();
        Lot newer = addonLot("a-newer").from("2026-07-02T00:00:00+08:00").build();

        assertThat(ids(verdict(call().build(), newer, older).eligibleInOrder())).containsExactly("z-older", "a-newer");
    }

    @Test
    @DisplayName("At equal expiry, type and effectiveAt, the lot id decides")
    void lotIdLast() {
        Lot b = addonLot("pack-b").build();
        Lot a = addonLot("pack-a").build();
        Lot c = addonLot("pack-c").build();

        assertThat(ids(verdict(call().build(), c, b, a).eligibleInOrder()))
                .containsExactly("pack-a", "pack-b", "pack-c");
    }

    /** Lots with ties at every level of the order; ids run against effectiveAt so each criterion matters. */
    private static List<Lot> tiedLots() {
        String jul20 = "2026-07-20T00:00:00+08:00";
        String aug1 = "2026-08-01T00:00:00+08:00";
        return List.of(
                planLot("p-2").from("2026-07-01T00:00:00+08:00").until(jul20).remaining("5").build(),
                addonLot("a-9").from("2026-06-01T00:00:00+08:00").until(jul20).remaining("5").build(),
                planLot("p-1").from("2026-07-01T00:00:00+08:00").until(jul20).remaining("5").build(),
                addonLot("a-3").from("2026-06-15T00:00:00+08:00").until(jul20).remaining("5").build(),
                addonLot("a-2").from("2026-06-15T00:00:00+08:00").until(jul20).remaining("5").build(),
                planLot("p-9").from("2026-06-20T00:00:00+08:00").until(jul20).remaining("5").build(),
                addonLot("b-2").source(LotSource.PROMOTION).from("2026-06-01T00:00:00+08:00").until(aug1)
                        .remaining("5").build(),
                addonLot("b-1").from("2026-06-01T00:00:00+08:00").until(aug1).remaining("5").build(),
                planLot("q-1").from("2026-07-01T00:00:00+08:00").until(aug1).remaining("5").build(),
                addonLot("c-1").from("2026-07-02T00:00:00+08:00").until("2026-07-10T00:00:00+08:00")
                        .remaining("5").build());
    }

    @Test
    @DisplayName("The order is total: however the lots are given, replays consume them in the same order")
    void theOrderIsTotal() {
        List<String> expected = List.of("c-1", "p-9", "p-1", "p-2", "a-9", "a-2", "a-3", "q-1", "b-1", "b-2");
        UsageCall call = call().credits("42").build();
        Random random = new Random(20260520L);
        List<Lot> lots = new ArrayList<>(tiedLots());

        for (int i = 0; i < 200; i++) {
            Collections.shuffle(lots, random);
            UsageVerdict verdict = rules().evaluateUsage(call, lots);
            assertThat(ids(verdict.eligibleInOrder())).as("shuffle %d: %s", i, ids(lots)).isEqualTo(expected);
            assertThat(Deduction.decide(call, verdict).allocations()).as("shuffle %d", i).containsExactly(
                    allocation("c-1", LotType.ADDON, "5"), allocation("p-9", LotType.PLAN, "5"),
                    allocation("p-1", LotType.PLAN, "5"), allocation("p-2", LotType.PLAN, "5"),
                    allocation("a-9", LotType.ADDON, "5"), allocation("a-2", LotType.ADDON, "5"),
                    allocation("a-3", LotType.ADDON, "5"), allocation("q-1", LotType.PLAN, "5"),
                    allocation("b-1", LotType.ADDON, "2"));
        }
    }

    @Test
    @DisplayName("One call may draw on several lots in that order")
    void multiLotSplit() {
        Lot first = planLot("plan-jul").until("2026-07-20T00:00:00+08:00").remaining("30").build();
        Lot second = addonLot("pack-1").until("2026-07-25T00:00:00+08:00").remaining("20").build();
        Lot third = addonLot("promo-1").source(LotSource.PROMOTION).until("2026-08-01T00:00:00+08:00")
                .remaining("50").build();
        Lot fourth = addonLot("pack-2").until("2026-09-01T00:00:00+08:00").remaining("40").build();
        UsageCall call = call().credits("70.5").build();

        UsageDecision decision = decide(call, fourth, third, second, first);

        assertThat(decision.status()).isEqualTo(Status.CHARGED);
        assertThat(decision.reason()).isEqualTo(Reason.CHARGED);
        assertThat(decision.charged()).isEqualTo(credits("70.5"));
        assertThat(decision.allocations()).containsExactly(
                allocation("plan-jul", LotType.PLAN, "30"),
                allocation("pack-1", LotType.ADDON, "20"),
                allocation("promo-1", LotType.ADDON, "20.5"));
        assertThat(decision.balanceAfter()).isEqualTo(credits("69.5"));
        assertThat(decision.shortfall()).isEqualByComparingTo("0");
    }

    @Test
    @DisplayName("A call that costs exactly the eligible balance is charged and empties every lot")
    void exactBalanceIsCharged() {
        Lot a = planLot("plan-jul").remaining("10.25").build();
        Lot b = addonLot("pack-1").remaining("4.75").build();

        UsageDecision decision = decide(call().credits("15").build(), a, b);

        assertThat(decision.status()).isEqualTo(Status.CHARGED);
        assertThat(decision.allocations()).containsExactly(
                allocation("plan-jul", LotType.PLAN, "10.25"), allocation("pack-1", LotType.ADDON, "4.75"));
        assertThat(decision.balanceAfter()).isEqualByComparingTo("0");
    }

    @Test
    @DisplayName("A successful call whose cost exceeds the eligible balance is INSUFFICIENT: nothing is deducted, "
            + "shortfall = cost - eligible balance")
    void insufficientBalance() {
        Lot a = planLot("plan-jul").remaining("30").build();
        Lot b = addonLot("pack-1").remaining("20.5").build();
        // not eligible for CLI before the sharing date: not part of the eligible balance
        Lot ideOnly = addonLot("pack-ide").origin(Product.IDE).from("2026-06-01T00:00:00+08:00").remaining("100")
                .build();
        Lot june = planLot("plan-jun").from("2026-06-01T00:00:00+08:00").until("2026-07-01T00:00:00+08:00")
                .remaining("30").build();
        UsageCall call = call().product(Product.CLI).at("2026-06-19T10:00:00+08:00").credits("70").build();

        UsageDecision decision = decide(call, june, ideOnly);

        assertThat(decision.status()).isEqualTo(Status.INSUFFICIENT);
        assertThat(decision.reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
        assertThat(decision.shortfall()).isEqualTo(credits("40"));
        assertThat(decision.charged()).isEqualByComparingTo("0");
        assertThat(decision.allocations()).isEmpty();

        UsageDecision july = decide(call().credits("50.5001").build(), a, b);
        assertThat(july.status()).isEqualTo(Status.INSUFFICIENT);
        assertThat(july.shortfall()).isEqualTo(credits("0.0001"));
        assertThat(july.allocations()).isEmpty();
    }
}
