package dev.creditspolicy.service;

import static dev.creditspolicy.service.ServiceFixture.assertAmount;
import static dev.creditspolicy.service.ServiceFixture.body;
import static dev.creditspolicy.service.ServiceFixture.grantBody;
import static dev.creditspolicy.service.ServiceFixture.usageBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.LotView;

@DisplayName("Idempotency: a retry answers the first answer; a reused key with another body is refused")
class IdempotencyServiceTest {
    private static final String JUL_01 = "2026-07-01T00:00:00+08:00";
    private static final String AUG_01 = "2026-08-01T00:00:00+08:00";

    private final ServiceFixture f = new ServiceFixture("idempotency");

    private void aliceWithPlanCredits() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");
    }

    @Test
    @DisplayName("the same requestId with the same body (10 vs 10.0000, +08:00 vs Z) is answered again and charged once")
    void usageRetrySameBody() {
        aliceWithPlanCredits();
        Answer<UsageDecision> first = f.use("r1", "alice", "CLI", "10", "2026-07-05T10:00:00+08:00");

        Answer<UsageDecision> retry = f.use("r1", "alice", "CLI", "10.0000", "2026-07-05T02:00:00Z");

        assertFalse(first.replayed());
        assertTrue(retry.replayed());
        assertEquals(first.body(), retry.body());
        assertAmount("90", f.remaining("alice", "plan-jul"));
        assertEquals(1, f.rows("usage_decisions"));
        assertEquals(1, f.rows("allocations"));
    }

    /** Rewrites a stored hash to what the release before the versioned hash stored: sha256 of toString(). */
    private void storeLegacyHash(String table, String keyColumn, String key, Record command) {
        String legacy = dev.creditspolicy.policy.Sha256.hex(RequestHash.legacy(command));
        int updated = f.services.store().jdbi().withHandle(h -> h.createUpdate("UPDATE " + table
                + " SET request_hash = :h WHERE " + keyColumn + " = :k").bind("h", legacy).bind("k", key).execute());
        assertEquals(1, updated);
    }

    @Test
    @DisplayName("requests stored under the pre-version-1 hash still answer their retries, and still refuse another "
            + "body")
    void legacyHashesAnswerRetries() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        Answer<UsageDecision> first = f.use("r1", "alice", "CLI", "10", "2026-07-05T10:00:00+08:00");
        storeLegacyHash("accounts", "account_id", "alice", Kinds.ACCOUNT.parse(null, body(
                "{'accountId': 'alice', 'realm': 'QODER_CN', 'plan': 'PERSONAL_PRO', 'at': '" + JUL_01 + "'}")));
        storeLegacyHash("lots", "lot_id", "plan-jul", Kinds.CYCLE.parse("alice", body("{'lotId': 'plan-jul', "
                + "'plan': 'PERSONAL_PRO', 'start': '" + JUL_01 + "', 'end': '" + AUG_01 + "', 'credits': 100}")));
        // the realm the account is in is part of a usage request's canonical form, as it was then
        var usage = Kinds.USAGE.parse(null, usageBody("r1", "alice", "CLI", "10", "2026-07-05T10:00:00+08:00"));
        storeLegacyHash("usage_decisions", "request_id", "r1", new Commands.Usage(usage.requestId(),
                usage.accountId(), dev.creditspolicy.policy.facts.Realm.QODER_CN, usage.product(), usage.feature(),
                usage.model(), usage.outcome(), usage.credits(), usage.occurredAt()));
        String before = f.snapshot();

        assertTrue(f.services.accounts().create(Kinds.ACCOUNT.parse(null, body("{'accountId': 'alice', "
                + "'realm': 'QODER_CN', 'plan': 'PERSONAL_PRO', 'at': '2026-06-30T16:00:00Z'}"))).replayed());
        assertTrue(f.services.accounts().startCycle(Kinds.CYCLE.parse("alice", body("{'lotId': 'plan-jul', "
                + "'plan': 'PERSONAL_PRO', 'start': '" + JUL_01 + "', 'end': '" + AUG_01 + "', 'credits': 100.0}")))
                .replayed());
        Answer<UsageDecision> retry = f.use("r1", "alice", "CLI", "10.0000", "2026-07-05T02:00:00Z");
        assertTrue(retry.replayed());
        assertEquals(first.body(), retry.body());
        assertEquals(before, f.snapshot(), "the retries changed nothing");

        f.refused("idempotency-conflict", () -> f.use("r1", "alice", "CLI", "11", "2026-07-05T10:00:00+08:00"));
        f.refused("idempotency-conflict", () -> f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "90"));
    }

    @Test
    @DisplayName("the same requestId with another amount is an idempotency-conflict and changes nothing")
    void usageRetryDifferentBody() {
        aliceWithPlanCredits();
        UsageDecision first = f.use("r1", "alice", "CLI", "10", "2026-07-05T10:00:00+08:00").body();

        Problem p = f.refused("idempotency-conflict",
                () -> f.use("r1", "alice", "CLI", "12", "2026-07-05T10:00:00+08:00"));

        assertEquals("requestId", p.field());
        assertEquals(409, ProblemType.statusOf(p.slug()));
        assertAmount("90", f.remaining("alice", "plan-jul"));
        assertEquals(first, f.services.usage().find("r1"));
    }

    @Test
    @DisplayName("the same requestId for another product is an idempotency-conflict too")
    void usageRetryOtherProduct() {
        aliceWithPlanCredits();
        f.use("r1", "alice", "CLI", "10", "2026-07-05T10:00:00+08:00");

        f.refused("idempotency-conflict", () -> f.usage(usageBody("r1", "alice", "IDE", "10",
                "2026-07-05T10:00:00+08:00")));
    }

    @Test
    @DisplayName("a retry naming the account's own realm is the same request as the first that left the realm out")
    void usageRetryWithOwnRealm() {
        aliceWithPlanCredits();
        Answer<UsageDecision> first = f.use("r1", "alice", "CLI", "10", "2026-07-05T10:00:00+08:00");
        var withRealm = usageBody("r1", "alice", "CLI", "10", "2026-07-05T10:00:00+08:00");
        withRealm.put("realm", "QODER_CN");

        Answer<UsageDecision> retry = f.usage(withRealm);

        assertTrue(retry.replayed());
        assertEquals(first.body(), retry.body());
        assertAmount("90", f.remaining("alice", "plan-jul"));
    }

    @Test
    @DisplayName("evaluate of a request id already decided answers the stored decision, not a new one")
    void evaluateDecidedRequest() {
        aliceWithPlanCredits();
        UsageDecision first = f.use("r1", "alice", "CLI", "80", "2026-07-05T10:00:00+08:00").body();

        UsageDecision evaluated = f.services.usage().evaluate(Kinds.EVALUATE.parse(null,
                usageBody("r1", "alice", "CLI", "80", "2026-07-05T10:00:00+08:00")));

        assertEquals(first, evaluated);
        assertAmount("20", f.remaining("alice", "plan-jul"));
    }

    @Test
    @DisplayName("an add-on grant retried with its lotId and the same body is answered again: one lot, one log entry")
    void grantRetrySameBody() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        Answer<LotView> first = f.grant("alice", grantBody("pack-1", "PURCHASE", "50", JUL_01, AUG_01));

        Answer<LotView> retry = f.grant("alice", grantBody("pack-1", "PURCHASE", "50.0", "2026-06-30T16:00:00Z",
                AUG_01));

        assertFalse(first.replayed());
        assertTrue(retry.replayed());
        assertEquals("pack-1", retry.body().lotId());
        assertAmount("50", retry.body().amount());
        assertEquals(1, f.rows("lots"));
        assertEquals(1, f.creditsLog("alice").size());
    }

    @Test
    @DisplayName("an add-on grant reusing a lotId with another amount is an idempotency-conflict and changes nothing")
    void grantRetryDifferentBody() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.grant("alice", grantBody("pack-1", "PURCHASE", "50", JUL_01, AUG_01));

        Problem p = f.refused("idempotency-conflict",
                () -> f.grant("alice", grantBody("pack-1", "PURCHASE", "60", JUL_01, AUG_01)));

        assertEquals("lotId", p.field());
        assertAmount("50", f.lot("alice", "pack-1").amount());
    }

    @Test
    @DisplayName("a cycle retried with its lotId and the same body is answered again: one lot, one log entry")
    void cycleRetrySameBody() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        var cycle = body("{'lotId': 'plan-jul', 'plan': 'PERSONAL_PRO', 'start': '" + JUL_01 + "', 'end': '"
                + AUG_01 + "', 'credits': 100}");

        Answer<LotView> first = f.cycle("alice", cycle);
        Answer<LotView> retry = f.cycle("alice", cycle);

        assertFalse(first.replayed());
        assertTrue(retry.replayed());
        assertEquals(first.body().expiresAt(), retry.body().expiresAt());
        assertEquals(1, f.rows("lots"));
        assertEquals(1, f.creditsLog("alice").size());
    }

    @Test
    @DisplayName("a cycle reusing a lotId with another end is an idempotency-conflict and changes nothing")
    void cycleRetryDifferentBody() {
        aliceWithPlanCredits();

        Problem p = f.refused("idempotency-conflict", () -> f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01,
                "2026-08-02T00:00:00+08:00", "100"));

        assertEquals("lotId", p.field());
        assertEquals(ServiceFixture.at("2026-08-01T00:00"), f.lot("alice", "plan-jul").expiresAt());
    }

    @Test
    @DisplayName("a lotId taken by another account's lot is an idempotency-conflict, not a second lot")
    void lotIdOfAnotherAccount() {
        aliceWithPlanCredits();
        f.account("bob", "QODER_CN", "PERSONAL_PRO", JUL_01);

        f.refused("idempotency-conflict",
                () -> f.cycle("bob", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100"));

        assertTrue(f.services.reports().lots("bob", null, PageRequest.FIRST).items().isEmpty());
    }

    @Test
    @DisplayName("creating an account again with the same body answers it again; with another plan it is account-exists")
    void accountCreateRetry() {
        AccountView first = f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);

        Answer<AccountView> retry = f.services.accounts().create(Kinds.ACCOUNT.parse(null, body(
                "{'accountId': 'alice', 'realm': 'QODER_CN', 'plan': 'PERSONAL_PRO', 'at': '2026-06-30T16:00:00Z'}")));
        Problem p = f.refused("account-exists",
                () -> f.account("alice", "QODER_CN", "PERSONAL_COMMUNITY", JUL_01));

        assertTrue(retry.replayed());
        assertEquals(first, retry.body());
        assertEquals("accountId", p.field());
        assertEquals(409, ProblemType.statusOf(p.slug()));
        assertEquals(Plan.PERSONAL_PRO, f.services.accounts().get("alice").currentPlan());
        assertEquals(1, f.rows("plan_history"));
    }
}
