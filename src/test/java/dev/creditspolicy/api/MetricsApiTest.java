package dev.creditspolicy.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.creditspolicy.metrics.LedgerMetrics;

/** The operator's metrics over /actuator/prometheus: the ledger's totals move by what was done; no empty HELP. */
class MetricsApiTest extends ApiTestSupport {
    @Autowired
    LedgerMetrics ledgerMetrics;

    private String scrape() {
        ledgerMetrics.refresh();
        return get("/actuator/prometheus").expect(200).response().body();
    }

    /** The value of one series of the scrape; zero when the series is not there yet. */
    static BigDecimal value(String scrape, String name, String labels) {
        String prefix = name + "{" + labels + "} ";
        return scrape.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> new BigDecimal(l.substring(prefix.length()).trim())).orElse(BigDecimal.ZERO);
    }

    private static BigDecimal moved(String before, String after, String name, String labels) {
        return value(after, name, labels).subtract(value(before, name, labels)).stripTrailingZeros();
    }

    @Test
    @DisplayName("granted, charged, expired, open holds and held credits move by exactly what the calls did")
    void ledgerTotals() {
        String before = scrape();
        String id = personalAccountWithPlanCredits("metrics"); // 100 PLAN credits for July 2026
        grant(id, newId("pack"), "PURCHASE", "50", "2099-01-01T00:00:00Z").expect(201);
        usage(newId("u"), id, "CLI", "10", JUL_02).expect(200); // from the plan lot, which expires first
        post("/v1/holds", json("{'holdId': '" + newId("h") + "', 'accountId': '" + id + "', 'product': 'CLI', "
                + "'feature': 'QUEST_AGENT', 'model': 'qwen3-coder', 'credits': 7, 'occurredAt': '" + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "', 'ttlSeconds': 3600}")).expect(200);
        String after = scrape();

        String plan = "realm=\"QODER_CN\",type=\"PLAN\"";
        String purchase = "realm=\"QODER_CN\",type=\"PURCHASE\"";
        assertThat(moved(before, after, "credits_granted_total", plan)).isEqualByComparingTo("100");
        assertThat(moved(before, after, "credits_granted_total", purchase)).isEqualByComparingTo("50");
        assertThat(moved(before, after, "credits_charged_total", plan)).isEqualByComparingTo("10");
        assertThat(moved(before, after, "credits_charged_total", purchase)).isEqualByComparingTo("0");
        // the July plan lot is past its expiry on the wall clock: its 90 unused credits count as expired
        assertThat(moved(before, after, "credits_expired_total", plan)).isEqualByComparingTo("90");
        assertThat(moved(before, after, "credits_holds_open", "realm=\"QODER_CN\"")).isEqualByComparingTo("1");
        assertThat(moved(before, after, "credits_holds_held", "realm=\"QODER_CN\"")).isEqualByComparingTo("7");
        assertThat(value(after, "credits_rules_reloads_total", "outcome=\"LOADED\"")).isPositive();
    }

    @Test
    @DisplayName("every metric of /actuator/prometheus has a description (no empty HELP line)")
    void everyMetricDescribed() {
        personalAccountWithPlanCredits("help");
        String scrape = scrape();
        List<String> help = scrape.lines().filter(l -> l.startsWith("# HELP ")).toList();
        assertThat(help).as("HELP lines").hasSizeGreaterThan(20);
        assertThat(help).filteredOn(l -> l.split(" ", 4).length < 4 || l.split(" ", 4)[3].isBlank())
                .as("metrics without a description").isEmpty();
        assertThat(scrape).contains("# HELP credits_decisions_total usage decisions stored")
                .contains("# HELP credits_usage_batch_wait_seconds ");
    }
}
