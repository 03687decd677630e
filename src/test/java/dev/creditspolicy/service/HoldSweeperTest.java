package dev.creditspolicy.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/** The sweeper marks long-expired holds EXPIRED, a bounded batch at a time, skipping accounts another holds. */
class HoldSweeperTest {
    private static final Instant JUL = Instant.parse("2026-06-30T16:00:00Z");
    private static final Instant AT = Instant.parse("2026-07-03T02:00:00Z");

    @Test
    @DisplayName("expired holds are marked EXPIRED (their credits were available by event time anyway); open ones, "
            + "ones within the grace, ones recorded less than the longest ttl ago and accounts locked elsewhere are "
            + "left")
    void sweeps() {
        // recorded when dated, as in production: the service's clock reads the holds' own instant
        CreditsServices s = CreditsServices.of(new Store(TestDatabases.fresh("hold_sweeper")), TestServices.rules(),
                Clock.fixed(AT, ZoneOffset.UTC), new SimpleMeterRegistry());
        for (String account : new String[] {"a", "b", "c"}) {
            s.accounts().create(new Commands.CreateAccount(account, Realm.QODER_CN, Plan.PERSONAL_PRO, JUL));
            s.accounts().startCycle(new Commands.StartCycle(account, Plan.PERSONAL_PRO, JUL,
                    JUL.plusSeconds(31 * 86_400L), new BigDecimal("100"), account + "-plan"));
        }
        // made first: a hold dated after a-old's expiry would mark a-old EXPIRED itself (event time)
        s.holds().hold(hold("a-open", "a", AT.plusSeconds(3600), 86_400));
        for (String account : new String[] {"a", "b", "c"}) {
            s.holds().hold(hold(account + "-old", account, AT, 60));
        }
        Duration grace = Duration.ofMinutes(30);
        assertThat(new HoldSweeper(s.store(), s.engine(), Clock.fixed(AT.plusSeconds(120), ZoneOffset.UTC), grace, 10).sweep())
                .as("within the grace").isZero();
        assertThat(new HoldSweeper(s.store(), s.engine(), Clock.fixed(AT.plusSeconds(7200), ZoneOffset.UTC), grace, 10).sweep())
                .as("past the grace, but recorded less than a day (the longest ttl) ago: a commit may be on its way")
                .isZero();
        Instant now = AT.plusSeconds(86_400 + 1800 + 1200);
        HoldSweeper sweeper = new HoldSweeper(s.store(), s.engine(), Clock.fixed(now, ZoneOffset.UTC), grace, 2);

        try (Handle other = s.store().jdbi().open()) {
            other.begin();
            other.createQuery("SELECT * FROM accounts WHERE account_id = 'b' FOR UPDATE").mapToMap().list();
            assertThat(sweeper.sweep()).as("a (b is locked elsewhere: skipped)").isEqualTo(1);
            other.rollback();
        }
        assertThat(sweeper.sweep()).as("b and c, the batch of two").isEqualTo(2);
        assertThat(sweeper.sweep()).isZero();
        HoldViews views = new HoldViews(s.store(), Clock.fixed(now, ZoneOffset.UTC));
        assertThat(views.find("a-old").state()).isEqualTo("EXPIRED");
        assertThat(views.find("a-old").released()).isEqualByComparingTo("10");
        assertThat(views.find("a-open").state()).isEqualTo("OPEN");
    }

    @Test
    @DisplayName("the usage report counts a committed hold as usage and shows what open holds reserve now")
    void usageReportWithHolds() {
        CreditsServices s = TestServices.fresh("hold_report");
        Instant start = TestServices.NOW.minusSeconds(86_400);
        s.accounts().create(new Commands.CreateAccount("r", Realm.QODER_CN, Plan.PERSONAL_PRO, start));
        s.accounts().startCycle(new Commands.StartCycle("r", Plan.PERSONAL_PRO, start, start.plusSeconds(31 * 86_400L),
                new BigDecimal("100"), "r-plan"));
        s.holds().hold(hold("done", "r", TestServices.NOW.minusSeconds(600), 900));
        s.holds().commit(new Commands.Commit("done", dev.creditspolicy.policy.facts.Outcome.SUCCEEDED,
                new BigDecimal("7"), TestServices.NOW.minusSeconds(500)));
        s.holds().hold(hold("running", "r", TestServices.NOW.minusSeconds(60), 900));

        Views.UsageSummary report = s.reports().usage("r", null, null, "product", ZoneOffset.UTC);

        assertThat(report.groups()).hasSize(1);
        assertThat(report.groups().get(0).charged()).isEqualTo(1);
        assertThat(report.groups().get(0).creditsCharged()).isEqualByComparingTo("7");
        assertThat(report.openHolds().count()).isEqualTo(1);
        assertThat(report.openHolds().held()).isEqualByComparingTo("10");
    }

    private static Commands.Hold hold(String id, String account, Instant at, int ttl) {
        return new Commands.Hold(id, account, null, Product.CLI, Feature.QUEST_AGENT, "m", new BigDecimal("10"), at,
                ttl);
    }
}
