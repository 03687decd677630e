package dev.creditspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.AccountState;
import dev.creditspolicy.policy.facts.BalanceChange;
import dev.creditspolicy.policy.facts.CreditKind;
import dev.creditspolicy.policy.facts.EventType;
import dev.creditspolicy.policy.facts.ExpiringLot;
import dev.creditspolicy.policy.facts.ExpiryShortened;
import dev.creditspolicy.policy.facts.HoldExpired;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.LotVoided;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Raise;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.UsageReversed;

/** alerts.drl on facts alone: which events a change raises (the real rules of the repository's rules/ folder). */
class AlertRulesTest {
    private static final Instant AT = RuleFixtures.at("2026-07-20T00:00:00+08:00");

    private static AccountState account(Plan plan, String grant) {
        return new AccountState("alice", Realm.QODER, plan, AT, RuleFixtures.credits(grant), BigDecimal.ZERO);
    }

    private static BalanceChange balance(CreditKind kind, String before, String after) {
        return balance(kind, before, after, false);
    }

    private static BalanceChange balance(CreditKind kind, String before, String after, boolean wasLow) {
        return new BalanceChange(kind, RuleFixtures.credits(before), RuleFixtures.credits(after), wasLow);
    }

    private static List<String> raised(Object... facts) {
        List<String> out = new ArrayList<>();
        for (Raise r : AlertRules.evaluate(RuleFixtures.rules(), List.of(facts)).raised()) {
            out.add(r.type().wire() + " " + r.about().subject() + (r.threshold() == null ? "" : " < " + r.threshold()));
        }
        return out;
    }

    @Test
    @DisplayName("Plan credits falling below 20% of a personal cycle's grant are low, once: not again while below")
    void lowOncePerCrossing() {
        assertThat(raised(account(Plan.PERSONAL_PRO, "100"), balance(CreditKind.PLAN, "25", "15")))
                .containsExactly("balance.low PLAN < 20.0000");
        assertThat(raised(account(Plan.PERSONAL_PRO, "100"), balance(CreditKind.PLAN, "15", "10", true))).isEmpty();
        assertThat(raised(account(Plan.PERSONAL_PRO, "100"), balance(CreditKind.PLAN, "0", "100", false))).isEmpty();
        assertThat(raised(account(Plan.PERSONAL_PRO, "100"), balance(CreditKind.PLAN, "10", "20", true)))
                .containsExactly("balance.recovered PLAN < 20.0000");
    }

    @Test
    @DisplayName("Enterprise plans are low below 10% of the grant; without a running cycle there is no threshold")
    void enterpriseThresholdAndNoCycle() {
        assertThat(raised(account(Plan.ENTERPRISE_TEAMS, "1000"), balance(CreditKind.PLAN, "150", "120"))).isEmpty();
        assertThat(raised(account(Plan.ENTERPRISE_TEAMS, "1000"), balance(CreditKind.PLAN, "150", "99")))
                .containsExactly("balance.low PLAN < 100.0000");
        assertThat(raised(account(Plan.PERSONAL_PRO, "0"), balance(CreditKind.PLAN, "5", "1"))).isEmpty();
    }

    @Test
    @DisplayName("Available credits falling to zero deplete the account; staying at zero raises nothing")
    void depleted() {
        assertThat(raised(account(Plan.PERSONAL_PRO, "0"), balance(CreditKind.TOTAL, "5", "0")))
                .containsExactly("balance.depleted TOTAL");
        assertThat(raised(account(Plan.PERSONAL_PRO, "0"), balance(CreditKind.TOTAL, "0", "0"))).isEmpty();
    }

    @Test
    @DisplayName("A lot expiring within 7 days is announced once; one expiring later is not")
    void expiring() {
        Instant exp = AT.plusSeconds(3 * 86400);
        ExpiringLot soon = new ExpiringLot("pack-1", LotType.ADDON, RuleFixtures.credits("40"), exp, 72,
                RuleFixtures.credits("10"), false);
        ExpiringLot announced = new ExpiringLot("pack-2", LotType.ADDON, RuleFixtures.credits("40"), exp, 72,
                RuleFixtures.credits("10"), true);
        ExpiringLot later = new ExpiringLot("pack-3", LotType.ADDON, RuleFixtures.credits("40"), exp, 24 * 7,
                RuleFixtures.credits("10"), false);
        assertThat(raised(account(Plan.PERSONAL_PRO, "0"), soon, announced, later))
                .containsExactly("credits.expiring pack-1@" + exp);
    }

    @Test
    @DisplayName("What a change did is announced: shortened expiry, void, reversal, expired hold")
    void corrections() {
        assertThat(raised(account(Plan.PERSONAL_PRO, "0"),
                new ExpiryShortened("plan-jul", AT.plusSeconds(99), AT, "UPGRADE"),
                new LotVoided("pack-1", RuleFixtures.credits("3"), "refund"),
                new UsageReversed("r1", RuleFixtures.credits("2"), "duplicate"),
                new HoldExpired("h1", RuleFixtures.credits("4"), AT)))
                .containsExactly("lot.expiry-shortened plan-jul", "lot.voided pack-1", "hold.expired h1",
                        "usage.reversed r1");
    }

    @Test
    @DisplayName("Every event type is raised by some rule of alerts.drl")
    void everyTypeCovered() {
        String drl = RuleFixtures.rules().files().stream().filter(f -> f.name().equals("alerts.drl")).findFirst()
                .orElseThrow().content();
        for (EventType t : EventType.values()) {
            assertThat(drl).as(t.wire()).contains("EventType." + t.name());
        }
    }
}
