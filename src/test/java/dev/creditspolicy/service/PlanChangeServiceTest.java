package dev.creditspolicy.service;

import static dev.creditspolicy.service.ServiceFixture.assertAmount;
import static dev.creditspolicy.service.ServiceFixture.assertBalance;
import static dev.creditspolicy.service.ServiceFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.service.Views.CreditsLogEntry;
import dev.creditspolicy.service.Views.ExpiryChangeView;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.PlanChangeView;

@DisplayName("Plan changes: an upgrade shortens the old plan's lots, a downgrade changes no expiry")
class PlanChangeServiceTest {
    private static final String JUL_01 = "2026-07-01T00:00:00+08:00";
    private static final String JUL_02 = "2026-07-02T00:00:00+08:00";
    private static final String JUL_10 = "2026-07-10T00:00:00+08:00";
    private static final String AUG_01 = "2026-08-01T00:00:00+08:00";
    private static final String AUG_15 = "2026-08-15T00:00:00+08:00";
    private static final String UPGRADE_RULE =
            "An upgrade shortens the expiry of the account's active plan lots of the old plan to the upgrade instant";

    private final ServiceFixture f = new ServiceFixture("plan-changes");

    private void carolOnCommunityWithPlanAndPack() {
        f.account("carol", "QODER_CN", "PERSONAL_COMMUNITY", JUL_01);
        f.cycle("carol", "plan-jul", "PERSONAL_COMMUNITY", JUL_01, AUG_01, "100");
        f.grant("carol", "pack", "PURCHASE", "50", JUL_02, AUG_15);
        f.use("r1", "carol", "CLI", "30", "2026-07-03T10:00:00+08:00");
    }

    @Test
    @DisplayName("an upgrade shortens the active plan lot to the upgrade instant and answers the change with its rule")
    void upgradeShortensPlanLot() {
        carolOnCommunityWithPlanAndPack();

        PlanChangeView change = f.changePlan("carol", "UPGRADE", "PERSONAL_PRO", JUL_10);

        assertEquals(Plan.PERSONAL_COMMUNITY, change.fromPlan());
        assertEquals(Plan.PERSONAL_PRO, change.toPlan());
        assertEquals(1, change.expiryChanges().size());
        ExpiryChangeView c = change.expiryChanges().get(0);
        assertEquals("plan-jul", c.lotId());
        assertEquals(at("2026-08-01T00:00"), c.oldExpiresAt());
        assertEquals(at("2026-07-10T00:00"), c.newExpiresAt());
        assertEquals(UPGRADE_RULE, c.rule());
        assertTrue(c.cause().contains("UPGRADE"), c.cause());
        assertTrue(change.firedRules().contains(UPGRADE_RULE));
        assertEquals(List.of(change), f.services.accounts().planChanges("carol"));
        assertEquals(Plan.PERSONAL_PRO, f.services.accounts().get("carol").currentPlan());
    }

    @Test
    @DisplayName("after an upgrade the lot shows the new expiry and its initial one; the add-on keeps its expiry")
    void upgradeShowsInLots() {
        carolOnCommunityWithPlanAndPack();

        f.changePlan("carol", "UPGRADE", "PERSONAL_PRO", JUL_10);

        LotView plan = f.lot("carol", "plan-jul");
        assertEquals(at("2026-07-10T00:00"), plan.expiresAt());
        assertEquals(at("2026-08-01T00:00"), plan.initialExpiresAt());
        assertAmount("70", plan.remaining());
        assertEquals(at("2026-08-15T00:00"), f.lot("carol", "pack").expiresAt());
        assertBalance(f.balance("carol", "2026-07-11T00:00:00+08:00"), "50", "0", "50");
        assertBalance(f.balance("carol", "2026-07-09T00:00:00+08:00"), "120", "70", "50");
    }

    @Test
    @DisplayName("the credits log is never rewritten: after an upgrade it still shows the plan lot's initial expiry")
    void creditsLogKeepsInitialExpiry() {
        carolOnCommunityWithPlanAndPack();

        f.changePlan("carol", "UPGRADE", "PERSONAL_PRO", JUL_10);

        List<CreditsLogEntry> log = f.creditsLog("carol");
        assertEquals(List.of("pack", "plan-jul"), log.stream().map(CreditsLogEntry::lotId).toList(),
                "newest first");
        CreditsLogEntry plan = log.get(1);
        assertEquals("PLAN_CREDITS", plan.type());
        assertAmount("100", plan.amount());
        assertEquals(at("2026-08-01T00:00"), plan.initialExpiresAt());
        assertEquals("CREDIT_PURCHASE", log.get(0).type());
    }

    @Test
    @DisplayName("an upgrade leaves alone a plan lot granted in advance for a cycle that has not started")
    void upgradeKeepsFuturePlanLot() {
        f.account("carol", "QODER_CN", "PERSONAL_COMMUNITY", JUL_01);
        f.cycle("carol", "plan-jul", "PERSONAL_COMMUNITY", JUL_01, AUG_01, "100");
        f.cycle("carol", "plan-aug", "PERSONAL_COMMUNITY", AUG_01, "2026-09-01T00:00:00+08:00", "100");

        PlanChangeView change = f.changePlan("carol", "UPGRADE", "PERSONAL_PRO", JUL_10);

        assertEquals(List.of("plan-jul"), change.expiryChanges().stream().map(ExpiryChangeView::lotId).toList());
        assertEquals(at("2026-09-01T00:00"), f.lot("carol", "plan-aug").expiresAt());
    }

    @Test
    @DisplayName("a downgrade changes no expiry and records no expiry change")
    void downgradeChangesNothing() {
        f.account("dave", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("dave", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        f.grant("dave", "pack", "PURCHASE", "50", JUL_02, AUG_15);

        PlanChangeView change = f.changePlan("dave", "DOWNGRADE", "PERSONAL_COMMUNITY", JUL_10);

        assertTrue(change.expiryChanges().isEmpty());
        assertEquals(at("2026-08-01T00:00"), f.lot("dave", "plan-jul").expiresAt());
        assertEquals(at("2026-08-15T00:00"), f.lot("dave", "pack").expiresAt());
        assertEquals(0, f.rows("expiry_changes"));
        assertEquals(1, f.rows("plan_changes"));
        assertEquals(Plan.PERSONAL_COMMUNITY, f.services.accounts().get("dave").currentPlan());
        assertBalance(f.balance("dave", "2026-07-20T00:00:00+08:00"), "150", "100", "50");
    }
}
