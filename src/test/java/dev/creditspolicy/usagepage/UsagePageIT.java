package dev.creditspolicy.usagepage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.UsageStory;

/**
 * The Usage page in a real browser (issue 16): Debian's headless Chromium driven by Selenium through
 * /usr/bin/chromedriver, against the service running in this test with a seeded account. The browser runs in
 * Asia/Shanghai, so every time on the page must show +08:00. Without Chromium the test fails and says how to install
 * it, unless {@code -Dcredits.test.browser.skip=true} (then it is skipped, loudly).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsagePageIT {
    static final Path CHROMIUM = Path.of(System.getProperty("credits.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("credits.test.chromedriver", "/usr/bin/chromedriver"));
    static final String ZONE = "Asia/Shanghai";
    static final Path SHOTS = Path.of(System.getProperty("credits.jar", "target/credits-policy.jar")).toAbsolutePath()
            .getParent();
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @DynamicPropertySource
    static void db(DynamicPropertyRegistry r) {
        TestDatabases.register(r);
    }

    @LocalServerPort
    int port;
    ChromeDriver browser;
    Path profile;
    String base;
    String account;
    String token;

    @BeforeAll
    void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "browser tests NOT RUN: no " + (Files.isExecutable(CHROMIUM) ? CHROMEDRIVER : CHROMIUM)
                    + ". Install them: apt-get update && apt-get install -y chromium chromium-driver";
            if (Boolean.getBoolean("credits.test.browser.skip")) {
                System.err.println("\n*** " + why + " (skipped: credits.test.browser.skip=true) ***\n");
                Assumptions.abort(why);
            }
            fail(why + " (or skip them with -Dcredits.test.browser.skip=true)");
        }
        profile = Files.createTempDirectory("usage-page-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1280,1000",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withEnvironment(Map.of("TZ", ZONE)).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void seed() {
        base = "http://localhost:" + port;
        account = "page-" + UUID.randomUUID().toString().substring(0, 8);
        UsageStory.seed(base, TestDatabases.ADMIN_KEY, account);
        token = UsageStory.viewerToken(base, TestDatabases.ADMIN_KEY, account, 600);
        desktop();
    }

    // ---- the figures ---------------------------------------------------------------------------------------------

    @Test
    void theCardTheLogAndTheUsageOfTwoPeriodsShowWhatTheApiAnswers() throws IOException {
        open("/usage?token=" + token + "&at=" + enc(UsageStory.AT));
        JsonNode balance = api("/balance?at=" + enc(UsageStory.AT));
        JsonNode sub = api("/subscription?at=" + enc(UsageStory.AT));
        assertThat(text("plan-name")).isEqualTo("Enterprise Teams");
        assertThat(css("#plan-cycle").getText()).isEqualTo(shown(sub.at("/cycle/start")) + " to "
                + shown(sub.at("/cycle/end")));

        assertAmount(css("#card-total"), balance.get("total"));
        for (String type : List.of("PLAN", "ADDON")) {
            WebElement row = css("#card-types tr[data-type='" + type + "']");
            assertAmount(row.findElement(By.cssSelector("td.amount")), balance.get("byType").get(type));
            WebElement expiry = row.findElement(By.cssSelector("td[data-expires]"));
            assertThat(Instant.parse(expiry.getDomAttribute("data-expires")))
                    .isEqualTo(Instant.parse(sub.at("/soonestExpiry/" + type + "/expiresAt").asString()));
            assertThat(expiry.getText()).startsWith(shown(sub.at("/soonestExpiry/" + type + "/expiresAt")));
        }
        assertThat(css("#card-held").isDisplayed()).isTrue();
        assertAmount(css("#card-held-amount"), balance.get("held"));

        JsonNode log = api("/credits-log");
        JsonNode lots = api("/lots?at=" + enc(UsageStory.AT));
        List<WebElement> rows = browser.findElements(By.cssSelector("#log-list > li"));
        assertThat(rows).hasSize(log.size());
        for (int i = 0; i < log.size(); i++) {
            JsonNode entry = log.get(i);
            WebElement row = rows.get(i);
            assertThat(row.getDomAttribute("data-lot")).isEqualTo(entry.get("lotId").asString());
            assertThat(row.getDomAttribute("data-type")).isEqualTo(entry.get("type").asString());
            assertThat(field(row, "reason").getText()).isEqualTo(entry.get("reason").asString());
            assertAmount(field(row, "amount"), entry.get("amount"));
            assertTime(field(row, "effective"), entry.get("effectiveAt"));
            assertTime(field(row, "initial-expiry"), entry.get("initialExpiresAt"));
            JsonNode lot = lotOf(lots, entry.get("lotId").asString());
            boolean shortened = !Instant.parse(lot.get("expiresAt").asString())
                    .equals(Instant.parse(entry.get("initialExpiresAt").asString()));
            assertThat(row.findElements(By.cssSelector("[data-field='actual-expiry']")))
                    .as("actual expiry shown for %s", entry.get("lotId")).hasSize(shortened ? 1 : 0);
        }

        // the July Pro lot: shortened by the upgrade, said so, linked to the plan change
        WebElement jul = css("#log-list > li[data-lot='" + account + "-plan-jul']");
        WebElement actual = field(jul, "actual-expiry");
        assertThat(Instant.parse(actual.getDomAttribute("data-expires")))
                .isEqualTo(OffsetDateTime.parse("2026-07-10T00:00:00+08:00").toInstant());
        assertThat(actual.getText()).startsWith("2026-07-10 00:00 UTC+08:00")
                .contains("Shortened by the upgrade from Personal Pro to Enterprise Teams at 2026-07-10 00:00 UTC+08:00");
        WebElement link = actual.findElement(By.tagName("a"));
        String target = link.getDomAttribute("href");
        assertThat(target).isEqualTo("#plan-change-" + sub.at("/planChanges/0/id").asLong());
        assertThat(css(target).getText()).startsWith("Upgrade from Personal Pro to Enterprise Teams at 2026-07-10 "
                + "00:00 UTC+08:00").contains("plan-jul: expiry moved from 2026-08-01 00:00 UTC+08:00 to 2026-07-10");

        // period 1, as the page opens: the current cycle, by product, QoderWork and CLI only
        assertUsage(sub.at("/cycle/start").asString(), sub.at("/cycle/endsAt").asString(), "product",
                List.of("CLI", "QODERWORK"));
        screenshot("usage-page.png");

        // period 2: typed in, by feature
        js("document.getElementById('period-from').value = '2026-07-01';"
                + "document.getElementById('period-to').value = '2026-07-12';"
                + "document.getElementById('period-group').value = 'feature';");
        css("#period button[type='submit']").click();
        awaitState("ready");
        awaitUsage("2026-06-30T16:00:00.000Z");
        assertUsage("2026-07-01T00:00:00+08:00", "2026-07-13T00:00:00+08:00", "feature",
                List.of("KNOWLEDGE_REPOWIKI", "QUEST_AGENT", "QUEST_EXPERTS"));
    }

    @Test
    void atPhoneWidthNothingScrollsSideways() throws IOException {
        phone();
        open("/usage?token=" + token + "&at=" + enc(UsageStory.AT));
        assertThat(((Number) js("return window.innerWidth")).intValue()).isEqualTo(360);
        long scroll = ((Number) js("return document.documentElement.scrollWidth")).longValue();
        long client = ((Number) js("return document.documentElement.clientWidth")).longValue();
        assertThat(scroll).as("scrollWidth at 360 px").isLessThanOrEqualTo(client);
        assertThat(browser.findElements(By.cssSelector("#usage-chart rect"))).hasSize(2);
        screenshot("usage-page-phone.png");
    }

    // ---- what goes wrong, and what the page says to do -----------------------------------------------------------

    @Test
    void anExpiredLinkSaysSoAndWhatToDo() throws InterruptedException {
        String shortLived = UsageStory.viewerToken(base, TestDatabases.ADMIN_KEY, account, 1);
        Thread.sleep(2100);
        open("/usage?token=" + shortLived, "expired");
        assertThat(text("message-title")).isEqualTo("This link has expired");
        assertThat(text("message-text")).contains("open Usage again to get a new link");
        assertThat(css("#content").isDisplayed()).isFalse();
    }

    @Test
    void anAccountWithNothingYetShowsTheEmptyState() {
        String empty = "empty-" + UUID.randomUUID().toString().substring(0, 8);
        UsageStory.send(base, TestDatabases.ADMIN_KEY, "/v1/accounts", "{\"accountId\":\"" + empty
                + "\",\"realm\":\"QODER\",\"plan\":\"PERSONAL_COMMUNITY\",\"at\":\"2026-07-01T00:00:00+08:00\"}");
        open("/usage?token=" + UsageStory.viewerToken(base, TestDatabases.ADMIN_KEY, empty, 60));
        assertThat(text("card-total")).isEqualTo("0.0000");
        assertThat(css("#card-empty").isDisplayed()).isTrue();
        assertThat(text("card-empty")).startsWith("No credits yet.");
        assertThat(css("#usage-empty").isDisplayed()).isTrue();
        assertThat(text("plan-cycle")).isEqualTo("No cycle in force at this time.");
    }

    @Test
    void aSupportAgentOpensAnAccountWithTheKeyboardAndIsToldOfABadKeyOrAnUnknownAccount() {
        browser.get(base + "/usage");
        awaitState("signin");
        WebElement key = css("#signin-key");
        key.click();
        key.sendKeys("cpk_wrong", Keys.TAB);
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("signin-account");
        browser.switchTo().activeElement().sendKeys(account, Keys.ENTER);
        awaitState("error");
        assertThat(text("message-title")).isEqualTo("The key was refused");

        key = css("#signin-key");
        key.clear();
        key.sendKeys(TestDatabases.ADMIN_KEY, Keys.TAB);
        WebElement id = browser.switchTo().activeElement();
        id.clear();
        id.sendKeys("nobody-" + account, Keys.ENTER);
        awaitState("error");
        assertThat(text("message-title")).isEqualTo("No such account");
        assertThat(text("message-text")).contains("nobody-" + account).contains("Check the account id");

        id = css("#signin-account");
        id.clear();
        id.sendKeys(account, Keys.ENTER);
        awaitState("ready");
        assertThat(text("account-line")).isEqualTo("Account " + account + " · realm QODER_CN");
        assertThat(browser.getCurrentUrl()).contains("account=" + account).doesNotContain("cpk_");
        // every control is a real form control or button, reachable with Tab
        assertThat(browser.findElements(By.cssSelector("[onclick], div[role='button']"))).isEmpty();
        for (WebElement input : browser.findElements(By.cssSelector("#content input, #content select"))) {
            assertThat(browser.findElements(By.cssSelector("label[for='" + input.getDomAttribute("id") + "']")))
                    .as("a label for #%s", input.getDomAttribute("id")).hasSize(1);
        }
    }

    @Test
    void aServiceThatDoesNotAnswerSaysTryAgainAndTryAgainWorks() {
        open("/usage?token=" + token + "&at=" + enc(UsageStory.AT));
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
        try {
            css("#asof button[type='submit']").click();
            awaitState("error");
            assertThat(text("message-title")).isEqualTo("The credits service could not answer");
            assertThat(text("message-text")).contains("Try again in a minute");
            assertThat(css("#message-retry").isDisplayed()).isTrue();
        } finally {
            browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
        }
        css("#message-retry").click();
        awaitState("ready");
        assertThat(css("#message").isDisplayed()).isFalse();
        assertThat(text("card-total")).isEqualTo("244.3750");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void assertUsage(String from, String to, String groupBy, List<String> keys) throws IOException {
        JsonNode usage = api("/usage?from=" + enc(from) + "&to=" + enc(to) + "&groupBy=" + groupBy + "&zone="
                + enc(ZONE) + "&products=QODERWORK,CLI");
        List<String> apiKeys = new ArrayList<>();
        usage.get("groups").forEach(g -> apiKeys.add(g.get("key").asString()));
        assertThat(apiKeys).isEqualTo(keys);
        List<WebElement> rows = browser.findElements(By.cssSelector("#usage-table tbody tr"));
        assertThat(rows).hasSize(keys.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode g = usage.get("groups").get(i);
            WebElement row = rows.get(i);
            assertThat(row.getDomAttribute("data-key")).isEqualTo(g.get("key").asString());
            for (String count : List.of("calls", "charged", "exempt", "insufficient")) {
                assertThat(field(row, count).getText()).as(count).isEqualTo(Long.toString(g.get(count).asLong()));
            }
            assertAmount(field(row, "credits"), g.get("creditsCharged"));
        }
        assertThat(browser.findElements(By.cssSelector("#usage-chart rect.chart-bar"))).hasSize(keys.size());
    }

    private void awaitUsage(String from) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> from.equals(
                d.findElement(By.id("usage-period")).getDomAttribute("data-from")));
    }

    private void assertAmount(WebElement e, JsonNode api) {
        String exact = api.decimalValue().toPlainString();
        assertThat(e.getDomAttribute("data-amount")).isEqualTo(exact);
        assertThat(e.getText()).isEqualTo(grouped(exact));
    }

    /** en-US grouping of the API's text: 1234.5000 -> 1,234.5000 (4 decimals, as the API). */
    private static String grouped(String exact) {
        String[] parts = exact.split("\\.");
        return String.format("%,d", Long.parseLong(parts[0])) + "." + parts[1];
    }

    private void assertTime(WebElement e, JsonNode api) {
        WebElement time = e.findElement(By.tagName("time"));
        assertThat(Instant.parse(time.getDomAttribute("datetime"))).isEqualTo(Instant.parse(api.asString()));
        assertThat(time.getText()).isEqualTo(shown(api));
    }

    private static String shown(JsonNode instant) {
        return SHOWN.format(Instant.parse(instant.asString()).atZone(ZoneId.of(ZONE))) + " UTC+08:00";
    }

    private static WebElement field(WebElement row, String name) {
        return row.findElement(By.cssSelector("[data-field='" + name + "']"));
    }

    private static JsonNode lotOf(JsonNode lots, String lotId) {
        for (JsonNode l : lots) {
            if (l.get("lotId").asString().equals(lotId)) {
                return l;
            }
        }
        throw new AssertionError("no lot " + lotId + " in " + lots);
    }

    private JsonNode api(String path) throws IOException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/accounts/" + account
                    + path)).header("Authorization", "Bearer " + TestDatabases.ADMIN_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void open(String path) {
        open(path, "ready");
    }

    private void open(String path, String state) {
        browser.get(base + path);
        awaitState(state);
    }

    private void awaitState(String state) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> state.equals(d.findElement(By.tagName("body")).getDomAttribute("data-state")));
    }

    private WebElement css(String selector) {
        return browser.findElement(By.cssSelector(selector));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void desktop() {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 1000,
                "deviceScaleFactor", 1, "mobile", false));
    }

    private void phone() {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 360, "height", 780,
                "deviceScaleFactor", 1, "mobile", true));
    }

    /** The whole page, not only the viewport: the viewport is stretched to the page's height for the shot. */
    private void screenshot(String name) throws IOException {
        long width = ((Number) js("return window.innerWidth")).longValue();
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        boolean mobile = width < 500;
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", mobile));
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(SHOTS);
        Files.copy(shot, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        if (mobile) {
            phone();
        } else {
            desktop();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
