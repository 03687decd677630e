package dev.creditspolicy.usagepage;

import static dev.creditspolicy.usagepage.PageApi.enc;
import static dev.creditspolicy.usagepage.PageBrowser.assertMoney;
import static dev.creditspolicy.usagepage.PageBrowser.field;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.UsageStory;

/**
 * The Usage page's Charges in a real browser (issue 30): the list equals {@code usage-decisions} of the period, a page
 * at a time, each charge's amount or reason, the lots it drew from, its price breakdown, and a reversed charge marked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsagePageChargesIT {
    /** The page reads this many charges at a time (charges.js). */
    private static final int PAGE = 20;

    @DynamicPropertySource
    static void db(DynamicPropertyRegistry r) {
        TestDatabases.register(r);
    }

    @LocalServerPort
    int port;
    PageBrowser browser;

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

    @Test
    void theChargesOfThePeriodEqualTheApisPageByPageWithLotsPriceAndReversal() throws IOException {
        String account = "charges-" + UUID.randomUUID().toString().substring(0, 8);
        PageApi api = new PageApi("http://localhost:" + port, account);
        String key = TestDatabases.ADMIN_KEY;
        UsageStory.seed(api.base(), key, account);
        UsageStory.send(api.base(), key, "/v1/usage", "{\"requestId\":\"" + account + "-priced\",\"accountId\":\""
                + account + "\",\"product\":\"CLI\",\"feature\":\"QUEST_EXPERTS\",\"model\":\"qwen3-coder\","
                + "\"outcome\":\"SUCCEEDED\",\"inputTokens\":2000,\"cachedInputTokens\":8000,\"outputTokens\":1000,"
                + "\"occurredAt\":\"2026-07-11T10:00:00+08:00\"}");
        for (int i = 0; i < PAGE; i++) { // more than a page
            UsageStory.send(api.base(), key, "/v1/usage", "{\"requestId\":\"" + account + "-small-" + i
                    + "\",\"accountId\":\"" + account + "\",\"product\":\"QODERWORK\",\"feature\":\"QUEST_AGENT\","
                    + "\"model\":\"qwen3-coder\",\"outcome\":\"SUCCEEDED\",\"credits\":0.125,\"occurredAt\":"
                    + "\"2026-07-11T1" + (i / 10) + ":0" + (i % 10) + ":00+08:00\"}");
        }
        UsageStory.send(api.base(), key, "/v1/usage/" + account + "-r4/reversal",
                "{\"at\":\"2026-07-11T20:00:00+08:00\",\"reason\":\"the call timed out upstream\"}");
        String token = UsageStory.viewerToken(api.base(), key, account, 600);

        browser.open("/usage?token=" + token + "&at=" + enc(UsageStory.AT) + "&lang=en&from=2026-07-01"
                + "&to=2026-07-31");
        List<JsonNode> decisions = new ArrayList<>();
        api.get("/usage-decisions?from=" + enc("2026-07-01T00:00:00+08:00") + "&to="
                + enc("2026-08-01T00:00:00+08:00") + "&limit=1000").forEach(decisions::add);
        assertThat(decisions).hasSizeGreaterThan(PAGE);
        assertThat(browser.all("#charges-list > li")).hasSize(PAGE);
        browser.css("#charges-more").click();
        browser.await("ready");
        List<WebElement> items = browser.all("#charges-list > li");
        assertThat(items.stream().map(li -> li.getDomAttribute("data-request")).toList())
                .isEqualTo(decisions.stream().map(d -> d.get("requestId").asString()).toList());
        assertThat(browser.css("#charges-more").isDisplayed()).isFalse();

        JsonNode en = JsonMapper.builder().build().readTree(Files.readString(
                Path.of("src/main/resources/static/usage/i18n/en.json")));
        for (int i = 0; i < items.size(); i++) {
            JsonNode d = decisions.get(i);
            WebElement item = items.get(i);
            item.findElement(By.tagName("summary")).click();
            WebElement outcome = field(item, "outcome");
            if ("CHARGED".equals(d.get("status").asString())) {
                assertMoney(outcome, d.get("charged").decimalValue());
            } else {
                assertThat(outcome.getText()).isEqualTo(en.get("reason." + d.get("reason").asString()).asString());
            }
            List<WebElement> drawn = item.findElements(By.cssSelector(".allocations > li"));
            assertThat(drawn).hasSize(d.get("allocations").size());
            for (int a = 0; a < drawn.size(); a++) {
                JsonNode allocation = d.get("allocations").get(a);
                assertThat(drawn.get(a).getDomAttribute("data-lot")).isEqualTo(allocation.get("lotId").asString());
                assertMoney(field(drawn.get(a), "allocation"), allocation.get("amount").decimalValue());
            }
            boolean reversed = d.hasNonNull("reversal");
            assertThat(item.findElements(By.cssSelector("[data-field='reversed']"))).hasSize(reversed ? 1 : 0);
        }
        WebElement r4 = browser.css("#charges-list > li[data-request='" + account + "-r4']");
        assertThat(field(r4, "reversed").getText()).isEqualTo("Reversed");
        assertThat(field(r4, "reversal").getText()).isEqualTo("Reversed at Jul 11, 2026, 20:00: 42.50 credits went "
                + "back.");
        WebElement priced = browser.css("#charges-list > li[data-request='" + account + "-priced']");
        assertThat(field(priced, "price").getText()).isEqualTo("2,000 input, 8,000 cached input, 1,000 output "
                + "tokens, at 0.2, 0.05 and 0.8 credits per 1,000 tokens, times 3 for this feature = 4.8000");
        WebElement exempt = browser.css("#charges-list > li[data-request='" + account + "-r2']");
        assertThat(field(exempt, "outcome").getText()).isEqualTo("Failed call: exempt");
        browser.assertAccessible("charges opened");
    }

    /**
     * Issue 28: the runway line under the Credits card says what the API's balance forecasts: when credits run out at
     * the last 7 days' rate (the instant itself, shown as a time) and how many would expire unused, in the page's words.
     */
    @Test
    void theRunwayLineSaysWhatTheApisForecastSays() throws IOException {
        String account = "runway-" + UUID.randomUUID().toString().substring(0, 8);
        PageApi api = new PageApi("http://localhost:" + port, account);
        UsageStory.seed(api.base(), TestDatabases.ADMIN_KEY, account);
        String token = UsageStory.viewerToken(api.base(), TestDatabases.ADMIN_KEY, account, 600);
        JsonNode runway = api.get("/balance?at=" + enc(UsageStory.AT)).get("runway");
        assertThat(runway).as("the story charges credits in its last 7 days").isNotNull();
        assertThat(runway.isNull()).isFalse();

        browser.open("/usage?token=" + token + "&at=" + enc(UsageStory.AT) + "&lang=en");
        WebElement line = browser.css("#card-runway");
        assertThat(line.isDisplayed()).isTrue();
        JsonNode en = JsonMapper.builder().build().readTree(Files.readString(
                Path.of("src/main/resources/static/usage/i18n/en.json")));
        String expected;
        if (runway.hasNonNull("depletesAt")) {
            WebElement at = line.findElement(By.tagName("time"));
            assertThat(Instant.parse(at.getDomAttribute("datetime")))
                    .isEqualTo(Instant.parse(runway.get("depletesAt").asString()));
            expected = en.get("card.runway").asString().replace("{at}", at.getText());
        } else {
            expected = en.get("card.runway.none").asString();
        }
        BigDecimal unused = BigDecimal.ZERO;
        for (JsonNode e : runway.path("expiringUnused")) {
            unused = unused.add(e.get("amount").decimalValue());
        }
        if (unused.signum() > 0) {
            expected += " " + en.get("card.runway.expiring").asString().replace("{amount}",
                    String.format(Locale.US, "%,.2f", unused.setScale(2, RoundingMode.HALF_UP)));
        }
        assertThat(line.getText()).isEqualTo(expected);
    }
}
