package dev.creditspolicy.policy;

import static dev.creditspolicy.policy.RuleFixtures.ALICE;
import static dev.creditspolicy.policy.RuleFixtures.BOB;
import static dev.creditspolicy.policy.RuleFixtures.addonLot;
import static dev.creditspolicy.policy.RuleFixtures.at;
import static dev.creditspolicy.policy.RuleFixtures.planLot;
import static dev.creditspolicy.policy.RuleFixtures.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.ExpiryChange;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.PlanChange;
import dev.creditspolicy.policy.facts.PlanChangeKind;

/** rules/expiry.drl: which lots a plan change shortens, and to when. */
class ExpiryRulesTest {
    static final String UPGRADE_RULE = "An upgrade shortens the expiry of the account's active plan lots of the old "
            + "plan to the upgrade instant";
    static final Instant UPGRADE_AT = at("2026-07-10T00:00:00+08:00");

    private static PlanChange upgrade(Plan from, Plan to) {
        return new PlanChange(ALICE, from, to, PlanChangeKind.UPGRADE, UPGRADE_AT);
    }

    private static PlanChange downgrade(Plan from, Plan to) {
        return new PlanChange(ALICE, from, to, PlanChangeKind.DOWNGRADE, UPGRADE_AT);
    }

    private static List<ExpiryChange> changes(PlanChange change, Lot... lots) {
        return rules().evaluatePlanChange(change, List.of(lots)).expiryChanges();
    }

    private static Lot communityLot(String id) {
        return planLot(id).plan(Plan.PERSONAL_COMMUNITY).build();
    }

    @Test
    @DisplayName("A plan upgrade at instant u shortens the expiry of the account's active plan lots of the old plan to u")
    void upgradeShortensActivePlanLotsOfTheOldPlan() {
        Lot july = communityLot("plan-jul");

        PlanChangeVerdict verdict = rules().evaluatePlanChange(
                upgrade(Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO), List.of(july));

        assertThat(verdict.expiryChanges()).singleElement().satisfies(c -> {
            assertThat(c.getLot().getLotId()).isEqualTo("plan-jul");
            assertThat(c.getLot().getExpiresAt()).isEqualTo(at("2026-08-01T00:00:00+08:00"));
            assertThat(c.getNewExpiresAt()).isEqualTo(UPGRADE_AT);
        });
        assertThat(verdict.rulesVersion()).isEqualTo(rules().version());
        assertThat(verdict.firedRules()).containsExactly(UPGRADE_RULE);
    }

    @Test
    @DisplayName("Every expiry change names the rule that made it")
    void theChangeNamesTheRule() {
        assertThat(changes(upgrade(Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO), communityLot("plan-jul")))
                .extracting(ExpiryChange::getRule).containsExactly(UPGRADE_RULE);
    }

    @Test
    @DisplayName("Every active plan lot of the old plan is shortened, whatever their order (changes come by lot id)")
    void severalPlanLotsAreShortened() {
        Lot b = planLot("plan-b").plan(Plan.PERSONAL_COMMUNITY).until("2026-09-01T00:00:00+08:00").build();
        Lot a = planLot("plan-a").plan(Plan.PERSONAL_COMMUNITY).from("2026-06-15T00:00:00+08:00").build();

        assertThat(changes(upgrade(Plan.PERSONAL_COMMUNITY, Plan.ENTERPRISE_TEAMS), b, a))
                .extracting(c -> c.getLot().getLotId(), ExpiryChange::getNewExpiresAt)
                .containsExactly(tuple("plan-a", UPGRADE_AT), tuple("plan-b", UPGRADE_AT));
    }

    @Test
    @DisplayName("Add-on lots keep their expiry on an upgrade")
    void addonLotsKeepTheirExpiry() {
        Lot plan = communityLot("plan-jul");
        Lot pack = addonLot("pack-1").build();
        Lot promo = addonLot("promo-1").source(LotSource.PROMOTION).build();

        assertThat(changes(upgrade(Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO), plan, pack, promo))
                .extracting(c -> c.getLot().getLotId()).containsExactly("plan-jul");
    }

    @Test
    @DisplayName("An add-on lot keeps its expiry even if it records the old plan (the type decides, not the plan)")
    void addonLotRecordingThePlanKeepsItsExpiry() {
        Lot pack = addonLot("pack-1").plan(Plan.PERSONAL_COMMUNITY).build();

        assertThat(changes(upgrade(Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO), pack)).isEmpty();
    }

    @Test
    @DisplayName("A plan lot already expired before the upgrade is left alone")
    void expiredPlanLotIsLeftAlone() {
        Lot june = planLot("plan-jun").plan(Plan.PERSONAL_COMMUNITY)
                .from("2026-06-01T00:00:00+08:00").until("2026-07-01T00:00:00+08:00").build();
        Lot july = communityLot("plan-jul");

        assertThat(changes(upgrade(Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO), june, july))
                .extracting(c -> c.getLot().getLotId()).containsExactly("plan-jul");
    }

    @Test
    @DisplayName("A plan lot that expires exactly at the upgrade instant is not active then, and is left alone")
    void planLotExpiringAtTheUpgradeIsLeftAlone() {
        Lot lot = planLot("plan-short").plan(Plan.PERSONAL_COMMUNITY).until(UPGRADE_AT).build();
        Lot justAfter = planLot("plan-long").plan(Plan.PERSONAL_COMMUNITY).until(UPGRADE_AT.plusNanos(1_000)).build();

        assertThat(changes(upgrade(Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO), lot, justAfter))
                .extracting(c -> c.getLot().getLotId()).containsExactly("plan-long");
    }

    @Test
    @DisplayName("A plan lot of another plan than the old one is left alone")
    void planLotOfAnotherPlanIsLeftAlone() {
        Lot pro = planLot("plan-pro").plan(Plan.PERSONAL_PRO).build();
        Lot teams = planLot("plan-teams").plan(Plan.ENTERPRISE_TEAMS).build();

        assertThat(changes(upgrade(Plan.PERSONAL_COMMUNITY, Plan.ENTERPRISE_VPC), pro, teams)).isEmpty();
        assertThat(changes(upgrade(Plan.ENTERPRISE_TEAMS, Plan.ENTERPRISE_VPC), pro, teams))
                .extracting(c -> c.getLot().getLotId()).containsExactly("plan-teams");
    }

    @Test
    @DisplayName("Only the account's own plan lots are shortened")
    void anotherAccountsPlanLotIsLeftAlone() {
        Lot bobs = planLot("plan-bob").account(BOB).plan(Plan.PERSONAL_COMMUNITY).build();
        Lot own = communityLot("plan-alice");

        assertThat(changes(upgrade(Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO), bobs, own))
                .extracting(c -> c.getLot().getLotId()).containsExactly("plan-alice");
    }

    @Test
    @DisplayName("A plan lot that is not yet effective at the upgrade is not active, and is left alone")
    void futurePlanLotIsLeftAlone() {
        Lot august = planLot("plan-aug").plan(Plan.PERSONAL_COMMUNITY)
                .from("2026-08-01T00:00:00+08:00").until("2026-09-01T00:00:00+08:00").build();

        assertThat(changes(upgrade(Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO), august)).isEmpty();
    }

    @Test
    @DisplayName("A downgrade changes no expiry")
    void downgradeChangesNothing() {
        Lot pro = planLot("plan-jul").plan(Plan.PERSONAL_PRO).build();
        Lot pack = addonLot("pack-1").build();

        PlanChangeVerdict verdict = rules().evaluatePlanChange(
                downgrade(Plan.PERSONAL_PRO, Plan.PERSONAL_COMMUNITY), List.of(pro, pack));

        assertThat(verdict.expiryChanges()).isEmpty();
        assertThat(verdict.firedRules()).doesNotContain(UPGRADE_RULE);
        // the same lots on an upgrade would be shortened: the kind alone makes the difference
        assertThat(changes(upgrade(Plan.PERSONAL_PRO, Plan.ENTERPRISE_TEAMS), pro, pack)).hasSize(1);
    }
}
