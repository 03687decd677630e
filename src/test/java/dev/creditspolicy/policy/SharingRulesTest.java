package dev.creditspolicy.policy;

import static dev.creditspolicy.policy.RuleFixtures.BOB;
import static dev.creditspolicy.policy.RuleFixtures.addonLot;
import static dev.creditspolicy.policy.RuleFixtures.allocation;
import static dev.creditspolicy.policy.RuleFixtures.at;
import static dev.creditspolicy.policy.RuleFixtures.call;
import static dev.creditspolicy.policy.RuleFixtures.decide;
import static dev.creditspolicy.policy.RuleFixtures.ids;
import static dev.creditspolicy.policy.RuleFixtures.planLot;
import static dev.creditspolicy.policy.RuleFixtures.rules;
import static dev.creditspolicy.policy.RuleFixtures.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.AddonGrant;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Refusal;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.policy.facts.UsageCall;

/** rules/sharing.drl: which lots a call may draw on. */
class SharingRulesTest {
    static final Instant SHARING_DATE = at("2026-06-20T00:00:00+08:00");

    private static Lot julyLot() {
        return planLot("plan-jul").remaining("100").build();
    }

    private static Stream<Arguments> plansAndProducts(Plan... plans) {
        return Stream.of(plans).flatMap(p -> Stream.of(Product.values()).map(pr -> Arguments.of(p, pr)));
    }

    static Stream<Arguments> personalTiersTimesAllProducts() {
        return plansAndProducts(Plan.PERSONAL_COMMUNITY, Plan.PERSONAL_PRO);
    }

    static Stream<Arguments> enterpriseTiersTimesQoderWorkAndCli() {
        return Stream.of(Plan.ENTERPRISE_TEAMS, Plan.ENTERPRISE_VPC)
                .flatMap(p -> Stream.of(Product.QODERWORK, Product.CLI).map(pr -> Arguments.of(p, pr)));
    }

    static Stream<Arguments> enterpriseTiersTimesOtherProducts() {
        return Stream.of(Plan.ENTERPRISE_TEAMS, Plan.ENTERPRISE_VPC)
                .flatMap(p -> Stream.of(Product.IDE, Product.JETBRAINS, Product.MOBILE).map(pr -> Arguments.of(p, pr)));
    }

    @Nested
    @DisplayName("The tier x product matrix")
    class Matrix {
        @ParameterizedTest(name = "{0} from {1}")
        @MethodSource("dev.creditspolicy.policy.SharingRulesTest#personalTiersTimesAllProducts")
        @DisplayName("Personal tiers share credits across IDE, JetBrains, QoderWork, CLI and Mobile")
        void personalTiersShareWithAllFiveProducts(Plan plan, Product product) {
            assertChargedToThePlanLot(plan, product);
        }

        @ParameterizedTest(name = "{0} from {1}")
        @MethodSource("dev.creditspolicy.policy.SharingRulesTest#enterpriseTiersTimesQoderWorkAndCli")
        @DisplayName("Enterprise tiers share credits with QoderWork and CLI")
        void enterpriseTiersShareWithQoderWorkAndCli(Plan plan, Product product) {
            assertChargedToThePlanLot(plan, product);
        }

        /** A call of 40 from the product, on an account of the plan holding one plan lot: the lot pays it all. */
        private void assertChargedToThePlanLot(Plan plan, Product product) {
            UsageCall call = call().plan(plan).product(product).credits("40").build();
            Lot lot = planLot("plan-jul").plan(plan).build();

            UsageDecision decision = decide(call, lot);

            assertThat(decision.status()).isEqualTo(Status.CHARGED);
            assertThat(decision.allocations()).containsExactly(allocation("plan-jul", LotType.PLAN, "40"));
        }

        @ParameterizedTest(name = "{0} from {1}")
        @MethodSource("dev.creditspolicy.policy.SharingRulesTest#enterpriseTiersTimesOtherProducts")
        @DisplayName("Enterprise tiers do not share with IDE, JetBrains or Mobile: INSUFFICIENT, NOT_SHARED_WITH_PRODUCT")
        void enterpriseTiersDoNotShareWithOtherProducts(Plan plan, Product product) {
            UsageCall call = call().plan(plan).product(product).credits("40").build();
            Lot lot = planLot("plan-jul").plan(plan).build();

            UsageDecision decision = decide(call, lot);

            assertThat(decision.status()).isEqualTo(Status.INSUFFICIENT);
            assertThat(decision.reason()).isEqualTo(Reason.NOT_SHARED_WITH_PRODUCT);
            assertThat(decision.shortfall()).isEqualByComparingTo("40");
            assertThat(decision.charged()).isEqualByComparingTo("0");
            assertThat(decision.allocations()).isEmpty();
        }

        @Test
        @DisplayName("The matrix applies to every lot of the account, plan or add-on")
        void theMatrixAppliesToPlanAndAddonLots() {
            Lot plan = planLot("plan-jul").plan(Plan.ENTERPRISE_TEAMS).remaining("30").build();
            Lot addon = addonLot("pack-1").source(LotSource.PROMOTION).remaining("50").build();
            UsageCall fromCli = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.CLI).credits("60").build();
            UsageCall fromIde = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.IDE).credits("60").build();

            assertThat(ids(verdict(fromCli, plan, addon).eligibleInOrder())).containsExactly("plan-jul", "pack-1");
            assertThat(decide(fromCli, plan, addon).allocations()).containsExactly(
                    allocation("plan-jul", LotType.PLAN, "30"), allocation("pack-1", LotType.ADDON, "30"));

            UsageVerdict ide = verdict(fromIde, plan, addon);
            assertThat(ide.eligibleInOrder()).isEmpty();
            assertThat(ide.notSharedWithProduct()).isTrue();
        }

        @Test
        @DisplayName("The tier that counts is the account's plan at the call's occurredAt (the plan in the call), "
                + "also for a call reported late")
        void theTierIsThePlanOfTheCall() {
            // the lot was granted by an enterprise cycle; the call was made while the account was on a personal plan
            Lot lot = planLot("plan-jul").plan(Plan.ENTERPRISE_TEAMS).build();
            UsageCall whilePersonal = call().plan(Plan.PERSONAL_PRO).product(Product.IDE).credits("10").build();
            UsageCall whileEnterprise = call().plan(Plan.ENTERPRISE_VPC).product(Product.IDE).credits("10").build();

            assertThat(decide(whilePersonal, lot).status()).isEqualTo(Status.CHARGED);
            UsageDecision enterprise = decide(whileEnterprise, lot);
            assertThat(enterprise.status()).isEqualTo(Status.INSUFFICIENT);
            assertThat(enterprise.reason()).isEqualTo(Reason.NOT_SHARED_WITH_PRODUCT);
        }
    }

    @Nested
    @DisplayName("Whose lots")
    class WhoseLots {
        @Test
        @DisplayName("Add-on credits are never shared with another account: a lot of another account is never eligible")
        void lotsOfAnotherAccountAreNeverEligible() {
            Lot bobsPack = addonLot("pack-bob").account(BOB).remaining("500").build();
            Lot bobsPlan = planLot("plan-bob").account(BOB).remaining("500").build();
            UsageCall call = call().credits("10").build();

            UsageVerdict verdict = verdict(call, bobsPack, bobsPlan);
            UsageDecision decision = decide(call, bobsPack, bobsPlan);

            assertThat(verdict.eligibleInOrder()).isEmpty();
            assertThat(decision.status()).isEqualTo(Status.INSUFFICIENT);
            // alice has no credits at all, so it is not a question of sharing
            assertThat(decision.reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
            assertThat(decision.shortfall()).isEqualByComparingTo("10");
        }

        @Test
        @DisplayName("A lot of another account does not count in the eligible balance next to the account's own")
        void anotherAccountsLotDoesNotAddToTheBalance() {
            Lot own = planLot("plan-jul").remaining("20").build();
            Lot bobs = addonLot("pack-bob").account(BOB).remaining("500").build();

            UsageDecision decision = decide(call().credits("50").build(), own, bobs);

            assertThat(decision.status()).isEqualTo(Status.INSUFFICIENT);
            assertThat(decision.shortfall()).isEqualByComparingTo("30");
        }

        @Test
        @DisplayName("Credits of the QODER_CN realm and of the QODER realm are never interchangeable")
        void lotsOfAnotherRealmAreNeverEligible() {
            Lot otherRealm = planLot("plan-intl").realm(Realm.QODER).remaining("500").build();
            Lot own = planLot("plan-cn").realm(Realm.QODER_CN).remaining("5").build();
            UsageCall call = call().realm(Realm.QODER_CN).credits("10").build();

            assertThat(ids(verdict(call, otherRealm, own).eligibleInOrder())).containsExactly("plan-cn");
            UsageDecision decision = decide(call, otherRealm, own);
            assertThat(decision.status()).isEqualTo(Status.INSUFFICIENT);
            assertThat(decision.reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
            assertThat(decision.shortfall()).isEqualByComparingTo("5");

            UsageCall intl = call().realm(Realm.QODER).credits("10").build();
            assertThat(ids(verdict(intl, otherRealm, own).eligibleInOrder())).containsExactly("plan-intl");
        }
    }

    @Nested
    @DisplayName("Origin product and the sharing date 2026-06-20T00:00+08:00")
    class SharingDate {
        private Lot ideLot() {
            return addonLot("pack-ide").origin(Product.IDE)
                    .from("2026-06-01T00:00:00+08:00").until("2026-08-01T00:00:00+08:00").remaining("100").build();
        }

        @Test
        @DisplayName("At 2026-06-19T23:59:59+08:00 an IDE-origin lot does not serve a CLI call")
        void oneSecondBeforeTheSharingDateTheIdeLotDoesNotServeCli() {
            UsageCall call = call().product(Product.CLI).at("2026-06-19T23:59:59+08:00").credits("10").build();

            UsageDecision decision = decide(call, ideLot());

            assertThat(verdict(call, ideLot()).eligibleInOrder()).isEmpty();
            assertThat(decision.status()).isEqualTo(Status.INSUFFICIENT);
            assertThat(decision.reason()).isEqualTo(Reason.NOT_SHARED_WITH_PRODUCT);
            assertThat(decision.shortfall()).isEqualByComparingTo("10");
        }

        @Test
        @DisplayName("One microsecond before the sharing date an IDE-origin lot still does not serve CLI")
        void oneMicrosecondBeforeTheSharingDate() {
            UsageCall call = call().product(Product.CLI).at(SHARING_DATE.minusNanos(1_000)).build();

            assertThat(verdict(call, ideLot()).eligibleInOrder()).isEmpty();
        }

        @Test
        @DisplayName("From 2026-06-20T00:00:00+08:00 an IDE-origin lot serves a CLI call")
        void atTheSharingDateTheIdeLotServesCli() {
            UsageCall call = call().product(Product.CLI).at("2026-06-20T00:00:00+08:00").credits("10").build();

            UsageDecision decision = decide(call, ideLot());

            assertThat(decision.status()).isEqualTo(Status.CHARGED);
            assertThat(decision.allocations()).containsExactly(allocation("pack-ide", LotType.ADDON, "10"));
            assertThat(decision.firedRules()).contains("From the sharing date (2026-06-20T00:00+08:00), a lot that "
                    + "names an origin product serves the products its tier shares with");
        }

        @Test
        @DisplayName("2026-06-19T16:00:00Z is the sharing date itself: the IDE-origin lot serves CLI")
        void theSharingDateInUtc() {
            UsageCall call = call().product(Product.CLI).at("2026-06-19T16:00:00Z").credits("10").build();

            assertThat(decide(call, ideLot()).status()).isEqualTo(Status.CHARGED);
        }

        @Test
        @DisplayName("Before the sharing date, a lot that names an origin product serves that product")
        void beforeTheSharingDateAnOriginLotServesItsProduct() {
            UsageCall call = call().product(Product.IDE).at("2026-06-10T09:00:00+08:00").credits("10").build();

            UsageDecision decision = decide(call, ideLot());

            assertThat(decision.status()).isEqualTo(Status.CHARGED);
            assertThat(decision.allocations()).containsExactly(allocation("pack-ide", LotType.ADDON, "10"));
        }

        @ParameterizedTest(name = "not from {0}")
        @EnumSource(value = Product.class, names = {"JETBRAINS", "QODERWORK", "CLI", "MOBILE"})
        @DisplayName("Before the sharing date, a lot that names an origin product serves only that product")
        void beforeTheSharingDateAnOriginLotServesOnlyItsProduct(Product product) {
            UsageCall call = call().product(product).at("2026-06-10T09:00:00+08:00").credits("10").build();

            UsageDecision decision = decide(call, ideLot());

            assertThat(decision.status()).isEqualTo(Status.INSUFFICIENT);
            assertThat(decision.reason()).isEqualTo(Reason.NOT_SHARED_WITH_PRODUCT);
            assertThat(decision.allocations()).isEmpty();
        }

        @Test
        @DisplayName("An enterprise account's IDE-origin lot serves IDE until the sharing date; from then on the "
                + "enterprise matrix applies and IDE is not shared")
        void enterpriseOriginLotAcrossTheSharingDate() {
            UsageCall justBefore = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.IDE)
                    .at("2026-06-19T23:59:59+08:00").build();
            UsageCall atTheDate = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.IDE)
                    .at("2026-06-20T00:00:00+08:00").build();

            assertThat(decide(justBefore, ideLot()).status()).isEqualTo(Status.CHARGED);
            UsageDecision after = decide(atTheDate, ideLot());
            assertThat(after.status()).isEqualTo(Status.INSUFFICIENT);
            assertThat(after.reason()).isEqualTo(Reason.NOT_SHARED_WITH_PRODUCT);
        }

        @Test
        @DisplayName("Before the sharing date, a lot without an origin product follows the matrix")
        void beforeTheSharingDateALotWithoutOriginFollowsTheMatrix() {
            Lot juneLot = planLot("plan-jun").plan(Plan.ENTERPRISE_TEAMS)
                    .from("2026-06-01T00:00:00+08:00").until("2026-07-01T00:00:00+08:00").build();
            Instant june10 = at("2026-06-10T09:00:00+08:00");

            // personal: every product, before the date too
            assertThat(decide(call().plan(Plan.PERSONAL_PRO).product(Product.MOBILE).at(june10).build(), juneLot)
                    .status()).isEqualTo(Status.CHARGED);
            // enterprise: CLI yes, IDE no
            assertThat(decide(call().plan(Plan.ENTERPRISE_TEAMS).product(Product.CLI).at(june10).build(), juneLot)
                    .status()).isEqualTo(Status.CHARGED);
            UsageDecision ide = decide(call().plan(Plan.ENTERPRISE_TEAMS).product(Product.IDE).at(june10).build(),
                    juneLot);
            assertThat(ide.status()).isEqualTo(Status.INSUFFICIENT);
            assertThat(ide.reason()).isEqualTo(Reason.NOT_SHARED_WITH_PRODUCT);
        }

        @Test
        @DisplayName("From the sharing date an origin-product lot follows the matrix of the tier, enterprise included")
        void fromTheSharingDateAnOriginLotFollowsTheEnterpriseMatrix() {
            Lot qoderWorkLot = addonLot("pack-qw").origin(Product.QODERWORK).build();

            assertThat(decide(call().plan(Plan.ENTERPRISE_VPC).product(Product.CLI).build(), qoderWorkLot).status())
                    .isEqualTo(Status.CHARGED);
            UsageDecision jetBrains = decide(call().plan(Plan.ENTERPRISE_VPC).product(Product.JETBRAINS).build(),
                    qoderWorkLot);
            assertThat(jetBrains.status()).isEqualTo(Status.INSUFFICIENT);
            assertThat(jetBrains.reason()).isEqualTo(Reason.NOT_SHARED_WITH_PRODUCT);
        }

        @Test
        @DisplayName("Before the sharing date a call draws on its product's origin lots and on the lots without origin")
        void beforeTheSharingDateMixedLots() {
            Lot ide = ideLot();
            Lot cli = addonLot("pack-cli").origin(Product.CLI).from("2026-06-01T00:00:00+08:00")
                    .until("2026-08-01T00:00:00+08:00").build();
            Lot plan = planLot("plan-jun").from("2026-06-01T00:00:00+08:00").until("2026-07-01T00:00:00+08:00")
                    .build();
            UsageCall call = call().product(Product.CLI).at("2026-06-10T09:00:00+08:00").build();

            assertThat(ids(verdict(call, ide, cli, plan).eligibleInOrder())).containsExactly("plan-jun", "pack-cli");
        }
    }

    @Nested
    @DisplayName("A lot is active at t when effectiveAt <= t < expiresAt and remaining > 0")
    class Active {
        private final Instant effective = at("2026-07-01T00:00:00+08:00");
        private final Instant expires = at("2026-08-01T00:00:00+08:00");

        private Lot lot() {
            return planLot("plan-jul").from(effective).until(expires).remaining("100").build();
        }

        private List<String> eligibleAt(Instant t) {
            return ids(verdict(call().at(t).build(), lot()).eligibleInOrder());
        }

        @Test
        @DisplayName("A lot is active at exactly its effectiveAt")
        void activeAtEffectiveAt() {
            assertThat(eligibleAt(effective)).containsExactly("plan-jul");
        }

        @Test
        @DisplayName("A lot is not active one microsecond before its effectiveAt")
        void notActiveBeforeEffectiveAt() {
            assertThat(eligibleAt(effective.minusNanos(1_000))).isEmpty();
        }

        @Test
        @DisplayName("A lot is active one microsecond before its expiresAt")
        void activeJustBeforeExpiresAt() {
            assertThat(eligibleAt(expires.minusNanos(1_000))).containsExactly("plan-jul");
        }

        @Test
        @DisplayName("A lot is not active at its expiresAt")
        void notActiveAtExpiresAt() {
            UsageCall call = call().at(expires).credits("10").build();

            assertThat(eligibleAt(expires)).isEmpty();
            UsageDecision decision = decide(call, lot());
            assertThat(decision.status()).isEqualTo(Status.INSUFFICIENT);
            // no active credits at all: the balance is short, not the sharing
            assertThat(decision.reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
        }

        @Test
        @DisplayName("A lot with nothing remaining is not active")
        void emptyLotIsNotActive() {
            Lot empty = planLot("plan-jul").remaining("0").build();
            UsageCall call = call().credits("1").build();

            assertThat(verdict(call, empty).eligibleInOrder()).isEmpty();
            assertThat(decide(call, empty).reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
        }
    }

    @Nested
    @DisplayName("Add-on credits are for personal use only")
    class AddonGrants {
        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("enterpriseGrants")
        @DisplayName("An account on an enterprise tier cannot be granted add-on credits: refused with addon-not-allowed")
        void enterpriseTierGrantIsRefused(Plan plan, LotSource source) {
            List<Refusal> refusals = rules().evaluateGrant(
                    new AddonGrant("acme", plan, source, at("2026-07-02T00:00:00+08:00")));

            assertThat(refusals).singleElement().satisfies(r -> {
                assertThat(r.getProblem()).isEqualTo("addon-not-allowed");
                assertThat(r.getMessage()).contains(plan.name()).contains("personal use");
            });
        }

        static Stream<Arguments> enterpriseGrants() {
            return Stream.of(Plan.ENTERPRISE_TEAMS, Plan.ENTERPRISE_VPC)
                    .flatMap(p -> Stream.of(LotSource.PURCHASE, LotSource.PROMOTION).map(s -> Arguments.of(p, s)));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = Plan.class, names = {"PERSONAL_COMMUNITY", "PERSONAL_PRO"})
        @DisplayName("An account on a personal tier may be granted add-on credits: no refusal")
        void personalTierGrantIsAllowed(Plan plan) {
            assertThat(rules().evaluateGrant(new AddonGrant(RuleFixtures.ALICE, plan, LotSource.PURCHASE,
                    at("2026-07-02T00:00:00+08:00")))).isEmpty();
            assertThat(rules().evaluateGrant(new AddonGrant(RuleFixtures.ALICE, plan, LotSource.PROMOTION,
                    at("2026-07-02T00:00:00+08:00")))).isEmpty();
        }
    }

    @Test
    @DisplayName("An account with active credits none of which this product may use is told NOT_SHARED_WITH_PRODUCT, "
            + "not INSUFFICIENT_BALANCE")
    void notSharedIsDistinctFromInsufficientBalance() {
        UsageCall ide = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.IDE).credits("10").build();
        UsageCall cli = call().plan(Plan.ENTERPRISE_TEAMS).product(Product.CLI).credits("500").build();

        assertThat(verdict(ide, julyLot()).notSharedWithProduct()).isTrue();
        assertThat(verdict(cli, julyLot()).notSharedWithProduct()).isFalse();
        assertThat(decide(cli, julyLot()).reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
    }
}
