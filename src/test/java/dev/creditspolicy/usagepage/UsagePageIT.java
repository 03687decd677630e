package dev.creditspolicy.usagepage;

import static dev.creditspolicy.usagepage.PageApi.enc;
import static dev.creditspolicy.usagepage.PageBrowser.assertMoney;
import static dev.creditspolicy.usagepage.PageBrowser.field;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.UsageStory;

/**
 * The Usage page's figures in a real browser (issues 16 and 30), against the service running in this test with the
 * seeded account of {@link UsageStory} (realm QODER_CN, so Chinese unless asked otherwise): every figure equals the
 * API's, as money (two decimals) with the exact value kept; the words in zh-CN and en; the chart's days.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsagePageIT {
    static final String ORDER_ZH = "最先到期的 Credits 最先消耗；到期时间相同时，先消耗套餐 Credits，再消耗附加 Credits。";
    static final String ORDER_EN = "Credits expiring soonest are consumed first; at equal expiry plan credits before "
            + "add-on credits.";

    @DynamicPropertySource
    static void db(DynamicPropertyRegistry r) {
        TestDatabases.register(r);
    }

    @LocalServerPort
    int port;
    PageBrowser browser;
    PageApi api;
    String token;

    @BeforeAll
    void start() throws IOException {
        browser = PageBrowser.start("http://localhost:" + port);
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void seed() {
        String account = "page-" + UUID.randomUUID().toString().substring(0, 8);
        api = new PageApi("http://localhost:" + port, account);
        UsageStory.seed(api.base(), TestDatabases.ADMIN_KEY, account);
        token = UsageStory.viewerToken(api.base(), TestDatabases.ADMIN_KEY, account, 600);
        browser.desktop();
    }

    @Test
    void inChineseForAQoderCnAccountEveryFigureEqualsTheApis() throws IOException {
        browser.open("/usage?token=" + token + "&at=" + enc(UsageStory.AT));
        assertThat(browser.js("return document.documentElement.lang")).isEqualTo("zh-CN");
        assertThat(browser.text("plan-name")).isEqualTo("企业团队版");
        assertThat(browser.text("lots-order")).isEqualTo(ORDER_ZH);
        assertTheFigures();
        assertThat(browser.text("usage-other")).isEqualTo("其他产品（IDE、JetBrains和移动端）：1 次调用，0.00 Credits。"
                + "明细请在各产品内查看。");
        browser.screenshot("usage-page-zh.png");
    }

    @Test
    void inEnglishByTheSwitchWhichTheAddressKeeps() throws IOException {
        browser.open("/usage?token=" + token + "&at=" + enc(UsageStory.AT));
        browser.css("#lang-switch").click();
        browser.await("ready");
        assertThat(browser.js("return document.documentElement.lang")).isEqualTo("en");
        assertThat(browser.driver.getCurrentUrl()).contains("lang=en");
        browser.driver.navigate().refresh();
        browser.await("ready");
        assertThat(browser.text("plan-name")).isEqualTo("Enterprise Teams");
        assertThat(browser.text("lots-order")).isEqualTo(ORDER_EN);
        assertThat(browser.text("account-line")).isEqualTo("Account " + api.account() + " · Qoder China");
        assertTheFigures();
        JsonNode sub = api.get("/subscription?at=" + enc(UsageStory.AT));
        WebElement jul = browser.css("#log-list > li[data-lot='" + api.account() + "-plan-jul']");
        WebElement actual = jul.findElement(By.cssSelector("[data-field='actual-expiry']"));
        assertThat(actual.getText()).isEqualTo("Jul 10, 2026, 00:00\nShortened by the Upgrade from Personal Pro to "
                + "Enterprise Teams at Jul 10, 2026, 00:00.");
        String target = actual.findElement(By.tagName("a")).getDomAttribute("href");
        assertThat(target).isEqualTo("#plan-change-" + sub.at("/planChanges/0/id").asLong());
        assertThat(browser.css(target).getText()).startsWith("Upgrade from Personal Pro to Enterprise Teams at "
                + "Jul 10, 2026, 00:00");
        // no enum reaches the customer: no upper-case code word anywhere on the page
        assertThat((String) browser.js("return document.getElementById('content').innerText"))
                .doesNotContainPattern("\\b(PERSONAL|ENTERPRISE|QODER|PLAN|ADDON|PURCHASE|PROMOTION|CHARGED|EXEMPT"
                        + "|INSUFFICIENT|UPGRADE|QUEST|EDITOR|KNOWLEDGE)_?[A-Z]*\\b");
        browser.screenshot("usage-page-en.png");
    }

    @Test
    void theChartHasADayForEveryDayOfThePeriodZerosIncludedAndTheAllowance() throws IOException {
        browser.open("/usage?token=" + token + "&at=" + enc(UsageStory.AT) + "&lang=en&from=2026-07-01"
                + "&to=2026-07-12&group=day");
        assertThat(browser.css("#period-group").getDomProperty("value")).isEqualTo("day");
        JsonNode byDay = api.get("/usage?from=" + enc("2026-07-01T00:00:00+08:00") + "&to="
                + enc("2026-07-13T00:00:00+08:00") + "&groupBy=day&zone=" + enc(PageBrowser.ZONE));
        Map<String, BigDecimal> used = new java.util.HashMap<>();
        byDay.get("groups").forEach(g -> used.put(g.get("key").asString(), g.get("creditsCharged").decimalValue()));
        assertThat(used).as("the period has days without usage").hasSizeLessThan(12);
        @SuppressWarnings("unchecked")
        Map<String, Object> chart = (Map<String, Object>) browser.js("const c = Chart.getChart('usage-chart');"
                + "return {labels: c.data.labels, days: c.canvas.dataset.days.split(','),"
                + " bars: c.data.datasets[0].data, allowance: c.data.datasets[2].data};");
        List<String> days = new ArrayList<>();
        List<Number> expected = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2026, 7, 1); d.isBefore(LocalDate.of(2026, 7, 13)); d = d.plusDays(1)) {
            days.add(d.toString());
            expected.add(used.getOrDefault(d.toString(), BigDecimal.ZERO).doubleValue());
        }
        assertThat(chart.get("days")).isEqualTo(days);
        assertThat(((List<?>) chart.get("labels")).stream().map(String::valueOf).toList()).hasSize(12)
                .startsWith("Jul 1", "Jul 2");
        assertThat(((List<?>) chart.get("bars")).stream().map(n -> ((Number) n).doubleValue()).toList())
                .isEqualTo(expected.stream().map(Number::doubleValue).toList());
        assertThat((List<?>) chart.get("allowance")).hasSize(12).allMatch(v -> ((Number) v).doubleValue() == 300);
        assertThat(browser.driver.getCurrentUrl()).contains("from=2026-07-01").contains("to=2026-07-12")
                .contains("group=day");
        assertGroups("2026-07-01T00:00:00+08:00", "2026-07-13T00:00:00+08:00", "day");
    }

    @Test
    void atPhoneWidthNothingScrollsSidewaysInEitherLanguage() throws IOException {
        browser.phone();
        for (String lang : List.of("zh-CN", "en")) {
            browser.open("/usage?token=" + token + "&at=" + enc(UsageStory.AT) + "&lang=" + lang);
            assertThat(((Number) browser.js("return window.innerWidth")).intValue()).isEqualTo(360);
            browser.assertNoSidewaysScroll();
            Number canvas = (Number) browser.js("return document.getElementById('usage-chart').clientWidth");
            assertThat(canvas.intValue()).as("chart width").isBetween(200, 360);
        }
        browser.screenshot("usage-page-phone.png");
    }

    // ---- the figures, in whichever language the page shows -------------------------------------------------------

    private void assertTheFigures() throws IOException {
        JsonNode balance = api.get("/balance?at=" + enc(UsageStory.AT));
        JsonNode sub = api.get("/subscription?at=" + enc(UsageStory.AT));
        assertMoney(browser.css("#card-total .amount"), balance.get("total"));
        for (String type : List.of("PLAN", "ADDON")) {
            WebElement row = browser.css("#card-types tr[data-type='" + type + "']");
            assertMoney(row.findElement(By.cssSelector(".amount")), balance.get("byType").get(type));
            assertThat(Instant.parse(row.findElement(By.cssSelector("td[data-expires]")).getDomAttribute(
                    "data-expires"))).isEqualTo(Instant.parse(sub.at("/soonestExpiry/" + type + "/expiresAt")
                    .asString()));
        }
        assertMoney(browser.css("#card-held-amount .amount"), balance.get("held"));
        assertLots(balance);
        assertLog();
        assertGroups(sub.at("/cycle/start").asString(), sub.at("/cycle/endsAt").asString(), "product");
    }

    /** Each lot's granted, used and left against the API's lots; each expiry links to its Credits log entry. */
    private void assertLots(JsonNode balance) throws IOException {
        JsonNode lots = api.get("/lots?at=" + enc(UsageStory.AT));
        Instant at = Instant.parse("2026-07-12T04:00:00Z");
        BigDecimal left = BigDecimal.ZERO;
        for (JsonNode lot : lots) {
            WebElement row = browser.css("#lots-table tbody tr[data-lot='" + lot.get("lotId").asString() + "']");
            boolean expired = !Instant.parse(lot.get("expiresAt").asString()).isAfter(at);
            BigDecimal remaining = expired ? BigDecimal.ZERO : lot.get("remaining").decimalValue();
            left = left.add(remaining);
            assertThat(row.getDomAttribute("data-status")).isEqualTo(expired ? "EXPIRED"
                    : remaining.signum() == 0 ? "USED_UP" : "ACTIVE");
            assertMoney(field(row, "granted"), lot.get("amount").decimalValue());
            assertMoney(field(row, "left"), remaining);
            assertMoney(field(row, "used"), lot.get("amount").decimalValue().subtract(lot.get("remaining")
                    .decimalValue()));
            WebElement link = field(row, "expires").findElement(By.tagName("a"));
            assertThat(link.findElement(By.tagName("time")).getDomAttribute("datetime"))
                    .isEqualTo(lot.get("expiresAt").asString());
            assertThat(link.getDomAttribute("href")).isEqualTo("#log-" + lot.get("lotId").asString());
            assertThat(browser.all("#log-list > li[id='log-" + lot.get("lotId").asString() + "']")).hasSize(1);
        }
        assertThat(browser.all("#lots-table tbody tr[data-lot]")).hasSize(lots.size());
        assertMoney(field(browser.css("#lots-table tfoot tr"), "left"), left);
        assertThat(left).as("what is left = available + held")
                .isEqualByComparingTo(balance.get("total").decimalValue().add(balance.get("held").decimalValue()));
    }

    private void assertLog() throws IOException {
        JsonNode log = api.get("/credits-log");
        List<WebElement> rows = browser.all("#log-list > li");
        assertThat(rows).hasSize(log.size());
        for (int i = 0; i < log.size(); i++) {
            JsonNode entry = log.get(i);
            assertThat(rows.get(i).getDomAttribute("data-lot")).isEqualTo(entry.get("lotId").asString());
            assertMoney(field(rows.get(i), "amount"), entry.get("amount"));
            assertThat(field(rows.get(i), "effective").findElement(By.tagName("time")).getDomAttribute("datetime"))
                    .isEqualTo(entry.get("effectiveAt").asString());
        }
    }

    /** The listed products' groups, their total, the other products' line and all products' line, against the API. */
    private void assertGroups(String from, String to, String groupBy) throws IOException {
        String range = "?from=" + enc(from) + "&to=" + enc(to) + "&zone=" + enc(PageBrowser.ZONE);
        JsonNode listed = api.get("/usage" + range + "&groupBy=" + groupBy + "&products=QODERWORK,CLI");
        JsonNode all = api.get("/usage" + range + "&groupBy=product");
        List<WebElement> rows = browser.all("#usage-table tbody tr");
        assertThat(rows).hasSize(listed.get("groups").size()).isNotEmpty();
        BigDecimal listedTotal = BigDecimal.ZERO;
        for (int i = 0; i < rows.size(); i++) {
            JsonNode g = listed.get("groups").get(i);
            assertThat(rows.get(i).getDomAttribute("data-key")).isEqualTo(g.get("key").asString());
            for (String count : List.of("calls", "charged", "exempt", "insufficient")) {
                assertThat(field(rows.get(i), count).getText()).as(count)
                        .isEqualTo(Long.toString(g.get(count).asLong()));
            }
            assertMoney(field(rows.get(i), "credits"), g.get("creditsCharged"));
            listedTotal = listedTotal.add(g.get("creditsCharged").decimalValue());
        }
        assertMoney(field(browser.css("#usage-table tfoot tr"), "credits"), listedTotal);
        BigDecimal everything = BigDecimal.ZERO;
        for (JsonNode g : all.get("groups")) {
            everything = everything.add(g.get("creditsCharged").decimalValue());
        }
        assertThat(new BigDecimal(browser.css("#usage-all").getDomAttribute("data-amount")))
                .isEqualByComparingTo(everything);
        assertThat(new BigDecimal(browser.css("#usage-other").getDomAttribute("data-amount")))
                .isEqualByComparingTo(everything.subtract(listedTotal));
    }
}
