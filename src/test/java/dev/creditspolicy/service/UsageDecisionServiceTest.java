package dev.creditspolicy.service;

import dev.creditspolicy.requests.Kinds;

import static dev.creditspolicy.service.ServiceFixture.allocations;
import static dev.creditspolicy.service.ServiceFixture.assertAmount;
import static dev.creditspolicy.service.ServiceFixture.assertBalance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.facts.Reason;
import dev.creditspolicy.policy.facts.Status;
import dev.creditspolicy.service.Views.Answer;

@DisplayName("Usage decisions, on a real database")
class UsageDecisionServiceTest {
    private static final String JUL_01 = "2026-07-01T00:00:00+08:00";
    private static final String JUL_02 = "2026-07-02T00:00:00+08:00";
    private static final String JUL_20 = "2026-07-20T00:00:00+08:00";
    private static final String AUG_01 = "2026-08-01T00:00:00+08:00";

    private final ServiceFixture f = new ServiceFixture("usage");

    @Test
    @DisplayName("a call larger than any one lot is split across three lots: soonest expiry first, plan before add-on at a tie")
    void splitAcrossThreeLots() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        f.grant("alice", "pack", "PURCHASE", "50", JUL_02, AUG_01);
        f.grant("alice", "promo", "PROMOTION", "30", JUL_02, JUL_20);

        UsageDecision d = f.use("r1", "alice", "CLI", "160", "2026-07-05T10:00:00+08:00").body();

        assertEquals(Status.CHARGED, d.status());
        assertEquals(Reason.CHARGED, d.reason());
        assertEquals(List.of("promo=30", "plan-jul=100", "pack=30"), allocations(d));
        assertAmount("160", d.charged());
        assertAmount("0", d.shortfall());
        assertAmount("20", d.balanceAfter());
        assertAmount("0", f.remaining("alice", "promo"));
        assertAmount("0", f.remaining("alice", "plan-jul"));
        assertAmount("20", f.remaining("alice", "pack"));
        assertBalance(f.balance("alice", "2026-07-05T12:00:00+08:00"), "20", "0", "20");
    }

    @Test
    @DisplayName("at equal expiry and type, the lot that became effective earlier is used first, whatever its id")
    void earlierEffectiveFirst() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.grant("alice", "a-late", "PURCHASE", "10", JUL_02, AUG_01);
        f.grant("alice", "b-early", "PURCHASE", "10", JUL_01, AUG_01);

        UsageDecision d = f.use("r1", "alice", "IDE", "15", "2026-07-05T10:00:00+08:00").body();

        assertEquals(List.of("b-early=10", "a-late=5"), allocations(d));
    }

    @Test
    @DisplayName("a call costing more than the balance is INSUFFICIENT with its shortfall, deducts nothing, and is stored")
    void insufficientDeductsNothing() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "50");

        Answer<UsageDecision> first = f.use("r1", "alice", "CLI", "80.25", "2026-07-05T10:00:00+08:00");

        UsageDecision d = first.body();
        assertEquals(Status.INSUFFICIENT, d.status());
        assertEquals(Reason.INSUFFICIENT_BALANCE, d.reason());
        assertAmount("0", d.charged());
        assertAmount("30.25", d.shortfall());
        assertAmount("50", d.balanceAfter());
        assertTrue(d.allocations().isEmpty());
        assertAmount("50", f.remaining("alice", "plan-jul"));
        assertEquals(0, f.rows("allocations"));
        assertEquals(d, f.services.usage().find("r1"), "the INSUFFICIENT decision is stored as answered");
    }

    @Test
    @DisplayName("retrying an INSUFFICIENT request answers the stored decision even after credits were added")
    void insufficientRetryAnswersTheSame() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "50");
        UsageDecision first = f.use("r1", "alice", "CLI", "80", "2026-07-05T10:00:00+08:00").body();
        f.grant("alice", "pack", "PURCHASE", "100", JUL_02, AUG_01);

        Answer<UsageDecision> retry = f.use("r1", "alice", "CLI", "80", "2026-07-05T10:00:00+08:00");

        assertTrue(retry.replayed());
        assertEquals(first, retry.body());
        assertEquals(Status.INSUFFICIENT, retry.body().status());
        assertAmount("30", retry.body().shortfall());
        assertAmount("50", f.remaining("alice", "plan-jul"));
        assertAmount("100", f.remaining("alice", "pack"));
        assertEquals(1, f.rows("usage_decisions"));
    }

    @Test
    @DisplayName("an IDE call on an enterprise account is NOT_SHARED_WITH_PRODUCT while a CLI call is charged")
    void enterpriseIdeCallNotShared() {
        f.account("acme", "QODER", "ENTERPRISE_TEAMS", JUL_01);
        f.cycle("acme", "ent-jul", "ENTERPRISE_TEAMS", JUL_01, AUG_01, "100");

        UsageDecision ide = f.use("r-ide", "acme", "IDE", "10", "2026-07-05T10:00:00+08:00").body();
        UsageDecision cli = f.use("r-cli", "acme", "CLI", "10", "2026-07-05T11:00:00+08:00").body();

        assertEquals(Status.INSUFFICIENT, ide.status());
        assertEquals(Reason.NOT_SHARED_WITH_PRODUCT, ide.reason());
        assertAmount("10", ide.shortfall());
        assertAmount("0", ide.charged());
        assertTrue(ide.allocations().isEmpty());
        assertEquals(Status.CHARGED, cli.status());
        assertEquals(List.of("ent-jul=10"), allocations(cli));
        assertAmount("90", f.remaining("acme", "ent-jul"));
    }

    @Test
    @DisplayName("a failed call is EXEMPT (FAILED_CALL), charges nothing, and is recorded")
    void failedCallExempt() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");

        UsageDecision d = f.usage(ServiceFixture.usageBody("r1", "alice", "IDE", "EDITOR_ASK", "qwen3-coder",
                "FAILED", "5", "2026-07-05T10:00:00+08:00")).body();

        assertEquals(Status.EXEMPT, d.status());
        assertEquals(Reason.FAILED_CALL, d.reason());
        assertAmount("0", d.charged());
        assertAmount("100", f.remaining("alice", "plan-jul"));
        assertEquals(Status.EXEMPT, f.services.usage().find("r1").status());
    }

    @Test
    @DisplayName("a successful call just before 2026-05-20T12:00+08:00 is EXEMPT (BEFORE_CREDITS_MODEL); one at noon is charged")
    void beforeCreditsModelExempt() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", "2026-05-01T00:00:00+08:00");
        f.cycle("alice", "plan-may", "PERSONAL_PRO", "2026-05-01T00:00:00+08:00", "2026-06-01T00:00:00+08:00",
                "100");

        UsageDecision before = f.use("r1", "alice", "IDE", "5", "2026-05-20T11:59:59+08:00").body();
        UsageDecision atStart = f.use("r2", "alice", "IDE", "5", "2026-05-20T12:00:00+08:00").body();

        assertEquals(Status.EXEMPT, before.status());
        assertEquals(Reason.BEFORE_CREDITS_MODEL, before.reason());
        assertEquals(Status.CHARGED, atStart.status());
        assertAmount("95", f.remaining("alice", "plan-may"));
    }

    @Test
    @DisplayName("a call reported after an upgrade to enterprise is judged under the personal plan it was made on")
    void lateCallUsesPlanAtOccurredAt() {
        f.account("bob", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("bob", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        f.changePlan("bob", "UPGRADE", "ENTERPRISE_TEAMS", "2026-07-10T00:00:00+08:00");
        f.cycle("bob", "ent-jul", "ENTERPRISE_TEAMS", "2026-07-10T00:00:00+08:00", "2026-08-10T00:00:00+08:00",
                "200");

        UsageDecision late = f.use("r-late", "bob", "IDE", "10", "2026-07-05T10:00:00+08:00").body();
        UsageDecision now = f.use("r-now", "bob", "IDE", "10", "2026-07-12T10:00:00+08:00").body();

        assertEquals(Status.CHARGED, late.status());
        assertEquals(List.of("plan-jul=10"), allocations(late));
        assertAmount("90", f.remaining("bob", "plan-jul"));
        assertEquals("PERSONAL_PRO", f.services.store().jdbi().withHandle(h -> h.createQuery(
                "SELECT plan FROM usage_decisions WHERE request_id = 'r-late'").mapTo(String.class).one()));
        assertEquals(Reason.NOT_SHARED_WITH_PRODUCT, now.reason(), "after the upgrade, IDE is not shared");
        assertAmount("200", f.remaining("bob", "ent-jul"));
    }

    @Test
    @DisplayName("evaluate answers the decision a call would get and stores nothing")
    void evaluateStoresNothing() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        String before = f.snapshot();

        UsageDecision d = f.services.usage().evaluate(Kinds.EVALUATE.parse(null,
                ServiceFixture.usageBody("r1", "alice", "CLI", "40", "2026-07-05T10:00:00+08:00")));

        assertEquals(Status.CHARGED, d.status());
        assertEquals(List.of("plan-jul=40"), allocations(d));
        assertAmount("60", d.balanceAfter());
        assertEquals(before, f.snapshot());
        assertAmount("100", f.remaining("alice", "plan-jul"));
    }
}
