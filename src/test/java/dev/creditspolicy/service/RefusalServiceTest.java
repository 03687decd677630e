package dev.creditspolicy.service;

import dev.creditspolicy.paging.PageRequest;

import dev.creditspolicy.requests.Kinds;

import static dev.creditspolicy.service.ServiceFixture.assertAmount;
import static dev.creditspolicy.service.ServiceFixture.body;
import static dev.creditspolicy.service.ServiceFixture.grantBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.policy.facts.Realm;

@DisplayName("Refused requests store nothing")
class RefusalServiceTest {
    private static final String JUL_01 = "2026-07-01T00:00:00+08:00";
    private static final String AUG_01 = "2026-08-01T00:00:00+08:00";

    private final ServiceFixture f = new ServiceFixture("refusals");

    private static ObjectNode callNaming(String realm) {
        return body("{'requestId': 'r1', 'accountId': 'alice', 'realm': '" + realm + "', 'product': 'CLI', "
                + "'feature': 'QUEST_AGENT', 'model': 'qwen3-coder', 'outcome': 'SUCCEEDED', 'credits': 10, "
                + "'occurredAt': '2026-07-05T10:00:00+08:00'}");
    }

    @Test
    @DisplayName("a call naming the QODER realm on a QODER_CN account is realm-mismatch and stores no decision")
    void realmMismatch() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");

        Problem p = f.refused("realm-mismatch", () -> f.usage(callNaming("QODER")));

        assertEquals("realm", p.field());
        assertEquals(0, f.rows("usage_decisions"));
        assertAmount("100", f.remaining("alice", "plan-jul"));
        Problem notFound = assertThrows(Problem.class, () -> f.services.usage().find("r1"));
        assertEquals("not-found", notFound.slug());
    }

    @Test
    @DisplayName("a call naming the account's own realm is charged")
    void ownRealmAccepted() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");

        f.usage(callNaming("QODER_CN"));

        assertAmount("90", f.remaining("alice", "plan-jul"));
    }

    @Test
    @DisplayName("evaluate refuses a realm mismatch too")
    void evaluateRealmMismatch() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);

        f.refused("realm-mismatch",
                () -> f.services.usage().evaluate(Kinds.EVALUATE.parse(null, callNaming("QODER"))));
    }

    @Test
    @DisplayName("add-on credits for an account on an enterprise tier are refused (addon-not-allowed): no lot, no log entry")
    void addonToEnterpriseRefused() {
        f.account("acme", "QODER", "ENTERPRISE_VPC", JUL_01);

        Problem p = f.refused("addon-not-allowed",
                () -> f.grant("acme", grantBody("pack-1", "PURCHASE", "50", "2026-07-02T00:00:00+08:00", AUG_01)));

        assertTrue(p.getMessage().contains("ENTERPRISE_VPC"), p.getMessage());
        assertTrue(f.services.reports().lots("acme", null, PageRequest.FIRST).items().isEmpty());
        assertTrue(f.creditsLog("acme").isEmpty());
    }

    @Test
    @DisplayName("a promotion for an enterprise account is refused as well")
    void promotionToEnterpriseRefused() {
        f.account("acme", "QODER", "ENTERPRISE_TEAMS", JUL_01);

        f.refused("addon-not-allowed",
                () -> f.grant("acme", grantBody("promo-1", "PROMOTION", "5", "2026-07-02T00:00:00+08:00", AUG_01)));
    }

    @Test
    @DisplayName("an add-on backdated to before an account's move to an enterprise tier is refused as well")
    void backdatedAddonToEnterpriseRefused() {
        f.account("bob", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.changePlan("bob", "UPGRADE", "ENTERPRISE_TEAMS", "2026-07-10T00:00:00+08:00");

        f.refused("addon-not-allowed",
                () -> f.grant("bob", grantBody("pack-1", "PURCHASE", "50", "2026-07-02T00:00:00+08:00", AUG_01)));
    }

    @Test
    @DisplayName("a call for an account that does not exist is unknown-account")
    void unknownAccount() {
        Problem p = f.refused("unknown-account",
                () -> f.use("r1", "nobody", "CLI", "1", "2026-07-05T10:00:00+08:00"));

        assertEquals("accountId", p.field());
        assertEquals(404, ProblemType.statusOf(p.slug()));
    }

    @Test
    @DisplayName("an account in one realm cannot be created again in the other realm")
    void accountOtherRealm() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);

        f.refused("account-exists", () -> f.account("alice", "QODER", "PERSONAL_PRO", JUL_01));

        assertEquals(Realm.QODER_CN, f.services.accounts().get("alice").realm());
    }
}
