package dev.creditspolicy.service;

import static dev.creditspolicy.service.ServiceFixture.assertBalance;
import static dev.creditspolicy.service.ServiceFixture.usageBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.service.Views.UsageGroup;

@DisplayName("Reports: balance per type and product, usage summaries")
class ReportServiceTest {
    private static final String JUN_01 = "2026-06-01T00:00:00+08:00";
    private static final String JUL_01 = "2026-07-01T00:00:00+08:00";
    private static final String AUG_01 = "2026-08-01T00:00:00+08:00";
    private static final ZoneId CHINA = ZoneOffset.ofHours(8);

    private final ServiceFixture f = new ServiceFixture("reports");

    @Test
    @DisplayName("the balance counts active lots only, in total and per type PLAN and ADDON")
    void balancePerType() {
        f.account("alice", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("alice", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        f.grant("alice", "pack", "PURCHASE", "40.5", "2026-07-05T00:00:00+08:00", AUG_01);
        f.grant("alice", "promo", "PROMOTION", "10", JUL_01, "2026-07-03T00:00:00+08:00");

        assertBalance(f.balance("alice", "2026-07-02T00:00:00+08:00"), "110", "100", "10");
        assertBalance(f.balance("alice", "2026-07-10T00:00:00+08:00"), "140.5", "100", "40.5");
        assertBalance(f.balance("alice", AUG_01), "0", "0", "0");
    }

    @Test
    @DisplayName("before the sharing date a lot with an origin product counts only for that product; from it, for all")
    void balancePerProductOriginLot() {
        f.account("erin", "QODER_CN", "PERSONAL_PRO", JUN_01);
        f.cycle("erin", "plan-jun", "PERSONAL_PRO", JUN_01, JUL_01, "100");
        f.grant("erin", ServiceFixture.body("{'lotId': 'ide-pack', 'source': 'PURCHASE', 'amount': 40, "
                + "'effectiveAt': '" + JUN_01 + "', 'expiresAt': '2026-07-15T00:00:00+08:00', "
                + "'reason': 'IDE credit pack', 'originProduct': 'IDE'}"));

        assertBalance(f.balance("erin", "2026-06-15T00:00:00+08:00", Product.CLI), "100", "100", "0");
        assertBalance(f.balance("erin", "2026-06-15T00:00:00+08:00", Product.IDE), "140", "100", "40");
        assertBalance(f.balance("erin", "2026-06-15T00:00:00+08:00"), "140", "100", "40");
        assertBalance(f.balance("erin", "2026-06-25T00:00:00+08:00", Product.CLI), "140", "100", "40");
    }

    @Test
    @DisplayName("for an enterprise account the balance for IDE is zero and for CLI is everything")
    void balancePerProductEnterprise() {
        f.account("acme", "QODER", "ENTERPRISE_TEAMS", JUL_01);
        f.cycle("acme", "ent-jul", "ENTERPRISE_TEAMS", JUL_01, AUG_01, "300");

        assertBalance(f.balance("acme", "2026-07-05T00:00:00+08:00", Product.IDE), "0", "0", "0");
        assertBalance(f.balance("acme", "2026-07-05T00:00:00+08:00", Product.CLI), "300", "300", "0");
    }

    /** Four calls: two charged (IDE), one failed and one insufficient (CLI), across a +08:00 midnight. */
    private void frankWithFourCalls() {
        f.account("frank", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("frank", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        f.usage(usageBody("r1", "frank", "IDE", "EDITOR_AGENT", "qwen3-coder", "SUCCEEDED", "10",
                "2026-07-03T23:30:00+08:00"));
        f.usage(usageBody("r2", "frank", "CLI", "QUEST_AGENT", "qwen3-coder", "FAILED", "5",
                "2026-07-04T00:30:00+08:00"));
        f.usage(usageBody("r3", "frank", "IDE", "EDITOR_ASK", "deepseek-v3", "SUCCEEDED", "20.5",
                "2026-07-04T09:00:00+08:00"));
        f.usage(usageBody("r4", "frank", "CLI", "QUEST_AGENT", "deepseek-v3", "SUCCEEDED", "500",
                "2026-07-04T10:00:00+08:00"));
    }

    private static List<String> summary(Views.UsageSummary s) {
        return s.groups().stream().map(g -> g.key() + ": " + g.calls() + " calls, " + g.charged() + " charged, "
                + g.exempt() + " exempt, " + g.insufficient() + " insufficient, "
                + g.creditsCharged().stripTrailingZeros().toPlainString() + " credits").toList();
    }

    @Test
    @DisplayName("usage grouped by product counts calls per status and sums the credits charged")
    void usageByProduct() {
        frankWithFourCalls();

        assertEquals(List.of(
                "CLI: 2 calls, 0 charged, 1 exempt, 1 insufficient, 0 credits",
                "IDE: 2 calls, 2 charged, 0 exempt, 0 insufficient, 30.5 credits"),
                summary(f.usageSummary("frank", "product", CHINA)));
    }

    @Test
    @DisplayName("usage grouped by feature and by model")
    void usageByFeatureAndModel() {
        frankWithFourCalls();

        assertEquals(List.of(
                "EDITOR_AGENT: 1 calls, 1 charged, 0 exempt, 0 insufficient, 10 credits",
                "EDITOR_ASK: 1 calls, 1 charged, 0 exempt, 0 insufficient, 20.5 credits",
                "QUEST_AGENT: 2 calls, 0 charged, 1 exempt, 1 insufficient, 0 credits"),
                summary(f.usageSummary("frank", "feature", CHINA)));
        assertEquals(List.of(
                "deepseek-v3: 2 calls, 1 charged, 0 exempt, 1 insufficient, 20.5 credits",
                "qwen3-coder: 2 calls, 1 charged, 1 exempt, 0 insufficient, 10 credits"),
                summary(f.usageSummary("frank", "model", CHINA)));
    }

    @Test
    @DisplayName("usage grouped by day uses calendar days of the zone asked for")
    void usageByDay() {
        frankWithFourCalls();

        assertEquals(List.of(
                "2026-07-03: 1 calls, 1 charged, 0 exempt, 0 insufficient, 10 credits",
                "2026-07-04: 3 calls, 1 charged, 1 exempt, 1 insufficient, 20.5 credits"),
                summary(f.usageSummary("frank", "day", CHINA)));
        assertEquals(List.of(
                "2026-07-03: 2 calls, 1 charged, 1 exempt, 0 insufficient, 10 credits",
                "2026-07-04: 2 calls, 1 charged, 0 exempt, 1 insufficient, 20.5 credits"),
                summary(f.usageSummary("frank", "day", ZoneOffset.UTC)));
    }

    @Test
    @DisplayName("grouped by day, a call a second before a zone's midnight and one at it fall on two days, in a "
            + "quarter-hour zone (Kathmandu, +05:45) as in a zone whose offset is not whole quarter hours (-00:44:30)")
    void usageByDayAtMidnightOfOddZones() {
        f.account("gina", "QODER_CN", "PERSONAL_PRO", JUL_01);
        f.cycle("gina", "plan-jul", "PERSONAL_PRO", JUL_01, AUG_01, "100");
        f.usage(usageBody("g1", "gina", "IDE", "EDITOR_AGENT", "m", "SUCCEEDED", "1", "2026-07-04T23:59:59+05:45"));
        f.usage(usageBody("g2", "gina", "IDE", "EDITOR_AGENT", "m", "SUCCEEDED", "2", "2026-07-05T00:00:00+05:45"));
        f.usage(usageBody("g3", "gina", "IDE", "EDITOR_AGENT", "m", "SUCCEEDED", "4", "2026-07-05T23:59:59-00:44:30"));
        f.usage(usageBody("g4", "gina", "IDE", "EDITOR_AGENT", "m", "SUCCEEDED", "8", "2026-07-06T00:00:00-00:44:30"));

        assertEquals(List.of(
                "2026-07-04: 1 calls, 1 charged, 0 exempt, 0 insufficient, 1 credits",
                "2026-07-05: 1 calls, 1 charged, 0 exempt, 0 insufficient, 2 credits",
                "2026-07-06: 2 calls, 2 charged, 0 exempt, 0 insufficient, 12 credits"),
                summary(f.usageSummary("gina", "day", ZoneId.of("Asia/Kathmandu"))));
        assertEquals(List.of(
                "2026-07-04: 2 calls, 2 charged, 0 exempt, 0 insufficient, 3 credits",
                "2026-07-05: 1 calls, 1 charged, 0 exempt, 0 insufficient, 4 credits",
                "2026-07-06: 1 calls, 1 charged, 0 exempt, 0 insufficient, 8 credits"),
                summary(f.usageSummary("gina", "day", ZoneOffset.ofTotalSeconds(-(44 * 60 + 30)))));
    }

    @Test
    @DisplayName("usage between from (included) and to (excluded) leaves out calls outside the window")
    void usageWindow() {
        frankWithFourCalls();

        Views.UsageSummary s = f.services.reports().usage("frank", ServiceFixture.at("2026-07-04T00:00"),
                ServiceFixture.at("2026-07-04T10:00"), "product", CHINA);

        assertEquals(List.of(
                "CLI: 1 calls, 0 charged, 1 exempt, 0 insufficient, 0 credits",
                "IDE: 1 calls, 1 charged, 0 exempt, 0 insufficient, 20.5 credits"), summary(s));
        assertEquals(2, s.groups().stream().mapToLong(UsageGroup::calls).sum());
    }

    @Test
    @DisplayName("an unknown groupBy is validation-failed on the groupBy field")
    void unknownGroupBy() {
        frankWithFourCalls();

        Problem p = f.refused("validation-failed", () -> f.usageSummary("frank", "week", CHINA));

        assertEquals("groupBy", p.field());
    }
}
