package dev.creditspolicy.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import dev.creditspolicy.ledger.Allocation;
import dev.creditspolicy.ledger.Deduction;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Lot;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.LotType;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.policy.facts.UsageCall;
import dev.creditspolicy.support.TestServices;

/**
 * Small builders for the facts the rule tests feed to the real rules of the repository's rules/ folder.
 * Defaults: account "alice" in QODER_CN on PERSONAL_PRO; a lot valid for July 2026 (+08:00) holding 100;
 * a successful CLI call of 10 credits on 2026-07-03T10:00+08:00.
 */
final class RuleFixtures {
    static final String ALICE = "alice";
    static final String BOB = "bob";

    private RuleFixtures() {
    }

    /** An instant written with its offset, the way the policy states dates. */
    static Instant at(String isoWithOffset) {
        return OffsetDateTime.parse(isoWithOffset).toInstant();
    }

    /** An amount at the ledger's scale (4 fractional digits), as decisions carry it. */
    static BigDecimal credits(String amount) {
        return new BigDecimal(amount).setScale(4);
    }

    static Allocation allocation(String lotId, LotType type, String amount) {
        return new Allocation(lotId, type, credits(amount));
    }

    static RuleSet rules() {
        return TestServices.rules().current();
    }

    static UsageVerdict verdict(UsageCall call, Lot... lots) {
        return rules().evaluateUsage(call, List.of(lots));
    }

    static UsageDecision decide(UsageCall call, Lot... lots) {
        return Deduction.decide(call, verdict(call, lots));
    }

    static List<String> ids(List<Lot> lots) {
        return lots.stream().map(Lot::getLotId).toList();
    }

    // ---- lots

    static LotBuilder planLot(String lotId) {
        return new LotBuilder(lotId, LotSource.PLAN).plan(Plan.PERSONAL_PRO);
    }

    static LotBuilder addonLot(String lotId) {
        return new LotBuilder(lotId, LotSource.PURCHASE);
    }

    static final class LotBuilder {
        private final String lotId;
        private LotSource source;
        private String accountId = ALICE;
        private Realm realm = Realm.QODER_CN;
        private Plan plan;
        private Product originProduct;
        private Instant effectiveAt = at("2026-07-01T00:00:00+08:00");
        private Instant expiresAt = at("2026-08-01T00:00:00+08:00");
        private BigDecimal remaining = new BigDecimal("100");

        private LotBuilder(String lotId, LotSource source) {
            this.lotId = lotId;
            this.source = source;
        }

        LotBuilder source(LotSource source) { this.source = source; return this; }
        LotBuilder account(String accountId) { this.accountId = accountId; return this; }
        LotBuilder realm(Realm realm) { this.realm = realm; return this; }
        /** The plan whose cycle granted the lot (plan lots; an add-on lot has none unless a test gives one). */
        LotBuilder plan(Plan plan) { this.plan = plan; return this; }
        LotBuilder origin(Product product) { this.originProduct = product; return this; }
        LotBuilder from(String iso) { return from(at(iso)); }
        LotBuilder from(Instant t) { this.effectiveAt = t; return this; }
        LotBuilder until(String iso) { return until(at(iso)); }
        LotBuilder until(Instant t) { this.expiresAt = t; return this; }
        LotBuilder remaining(String amount) { this.remaining = new BigDecimal(amount); return this; }

        Lot build() {
            return new Lot(lotId, accountId, realm, source, plan, originProduct,
                    effectiveAt, expiresAt, remaining);
        }
    }

    // ---- calls

    static CallBuilder call() {
        return new CallBuilder();
    }

    static final class CallBuilder {
        private String requestId = "r1";
        private String accountId = ALICE;
        private Realm realm = Realm.QODER_CN;
        private Plan plan = Plan.PERSONAL_PRO;
        private Product product = Product.CLI;
        private Feature feature = Feature.QUEST_AGENT;
        private Outcome outcome = Outcome.SUCCEEDED;
        private BigDecimal credits = new BigDecimal("10");
        private Instant occurredAt = RuleFixtures.at("2026-07-03T10:00:00+08:00");

        CallBuilder request(String requestId) { this.requestId = requestId; return this; }
        CallBuilder account(String accountId) { this.accountId = accountId; return this; }
        CallBuilder realm(Realm realm) { this.realm = realm; return this; }
        CallBuilder plan(Plan plan) { this.plan = plan; return this; }
        CallBuilder product(Product product) { this.product = product; return this; }
        CallBuilder feature(Feature feature) { this.feature = feature; return this; }
        CallBuilder failed() { this.outcome = Outcome.FAILED; return this; }
        CallBuilder credits(String amount) { this.credits = new BigDecimal(amount); return this; }
        CallBuilder at(String iso) { return at(RuleFixtures.at(iso)); }
        CallBuilder at(Instant t) { this.occurredAt = t; return this; }

        UsageCall build() {
            return new UsageCall(requestId, accountId, realm, plan, product, feature, "qwen3-coder", outcome, credits,
                    occurredAt);
        }
    }
}
