package dev.creditspolicy.usagepage;

import static dev.creditspolicy.usagepage.PageApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.UsageStory;

/**
 * Each state of the Usage page in a real browser (issues 16 and 30): loaded (viewer and support), loading, empty,
 * an expired link, the service offline; each says what it should, in the account's language, and axe-core finds no
 * serious or critical accessibility violation in it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsagePageStatesIT {
    @DynamicPropertySource
    static void db(DynamicPropertyRegistry r) {
        TestDatabases.register(r);
    }

    @LocalServerPort
    int port;
    PageBrowser browser;
    String base;
    String account;
    String token;

    @BeforeAll
    void start() throws IOException {
        base = "http://localhost:" + port;
        browser = PageBrowser.start(base);
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void seed() {
        account = "state-" + UUID.randomUUID().toString().substring(0, 8);
        UsageStory.seed(base, TestDatabases.ADMIN_KEY, account);
        token = UsageStory.viewerToken(base, TestDatabases.ADMIN_KEY, account, 600);
        browser.desktop();
    }

    @Test
    void loadedForACustomerInBothLanguagesWithoutTheSupportControls() {
        for (String lang : new String[] {"zh-CN", "en"}) {
            browser.open("/usage?token=" + token + "&at=" + enc(UsageStory.AT) + "&lang=" + lang);
            assertThat(browser.css("#asof").isDisplayed()).as("As of, for a viewer token").isFalse();
            assertThat(browser.css("#loading").isDisplayed()).isFalse();
            browser.all("#charges-list details").forEach(d -> d.findElement(By.tagName("summary")).click());
            browser.assertAccessible("loaded " + lang);
            browser.phone();
            browser.assertAccessible("loaded " + lang + " at 360 px");
            browser.desktop();
        }
    }

    @Test
    void whileItReadsItSaysItIsLoading() {
        browser.driver.executeCdpCommand("Network.enable", Map.of());
        browser.driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false,
                "latency", 1500, "downloadThroughput", -1, "uploadThroughput", -1));
        try {
            browser.open("/usage?token=" + token + "&at=" + enc(UsageStory.AT) + "&lang=en", "loading");
            WebElement loading = browser.css("#loading");
            assertThat(loading.isDisplayed()).isTrue();
            assertThat(loading.getDomAttribute("role")).isEqualTo("status");
            assertThat(loading.getText()).isEqualTo("Loading your credits…");
            assertThat(browser.css("#main").getDomAttribute("aria-busy")).isEqualTo("true");
        } finally {
            browser.offline(false);
        }
        browser.await("ready");
        assertThat(browser.css("#loading").isDisplayed()).isFalse();
    }

    @Test
    void anAccountWithNothingYetShowsTheEmptyState() {
        String empty = "empty-" + UUID.randomUUID().toString().substring(0, 8);
        UsageStory.send(base, TestDatabases.ADMIN_KEY, "/v1/accounts", "{\"accountId\":\"" + empty
                + "\",\"realm\":\"QODER\",\"plan\":\"PERSONAL_COMMUNITY\",\"at\":\"2026-07-01T00:00:00+08:00\"}");
        browser.open("/usage?token=" + UsageStory.viewerToken(base, TestDatabases.ADMIN_KEY, empty, 60));
        assertThat(browser.js("return document.documentElement.lang")).as("QODER: English").isEqualTo("en");
        assertThat(browser.text("card-total")).isEqualTo("0.00");
        assertThat(browser.text("card-empty")).startsWith("No credits yet.");
        assertThat(browser.css("#usage-empty").isDisplayed()).isTrue();
        assertThat(browser.text("lots-empty")).isEqualTo("No credits yet.");
        assertThat(browser.text("charges-empty")).isEqualTo("No calls yet.");
        assertThat(browser.text("plan-cycle")).isEqualTo("No cycle in force at this time.");
        browser.assertAccessible("empty");
    }

    @Test
    void anExpiredLinkSaysSoAndWhatToDoInTheAccountsLanguage() throws InterruptedException {
        String shortLived = UsageStory.viewerToken(base, TestDatabases.ADMIN_KEY, account, 1);
        Thread.sleep(2100);
        browser.open("/usage?token=" + shortLived + "&lang=zh-CN", "expired");
        assertThat(browser.text("message-title")).isEqualTo("此链接已过期");
        assertThat(browser.text("message-text")).contains("请返回网站重新打开“用量”以获取新链接");
        assertThat(browser.css("#content").isDisplayed()).isFalse();
        browser.assertAccessible("expired link");
    }

    @Test
    void aServiceThatDoesNotAnswerSaysTryAgainAndTryAgainWorks() {
        browser.open("/usage?token=" + token + "&at=" + enc(UsageStory.AT) + "&lang=en");
        browser.offline(true);
        try {
            browser.css("[data-preset='7']").click();
            browser.await("error");
            assertThat(browser.text("message-title")).isEqualTo("The credits service could not answer");
            assertThat(browser.text("message-text")).contains("Try again in a minute");
            assertThat(browser.css("#message-retry").isDisplayed()).isTrue();
            browser.assertAccessible("offline");
        } finally {
            browser.offline(false);
        }
        browser.css("#message-retry").click();
        browser.await("ready");
        assertThat(browser.css("#message").isDisplayed()).isFalse();
        assertThat(browser.text("card-total")).isEqualTo("244.38");
    }

    @Test
    void aSupportAgentSignsInWithTheKeyboardAndAloneGetsAsOf() {
        browser.open("/usage?lang=en", "signin");
        WebElement key = browser.css("#signin-key");
        key.click();
        key.sendKeys("cpk_wrong", Keys.TAB);
        assertThat(browser.driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("signin-account");
        browser.driver.switchTo().activeElement().sendKeys(account, Keys.ENTER);
        browser.await("error");
        assertThat(browser.text("message-title")).isEqualTo("The key was refused");

        key = browser.css("#signin-key");
        key.clear();
        key.sendKeys(TestDatabases.ADMIN_KEY, Keys.TAB);
        WebElement id = browser.driver.switchTo().activeElement();
        id.clear();
        id.sendKeys("nobody-" + account, Keys.ENTER);
        browser.await("error");
        assertThat(browser.text("message-title")).isEqualTo("No such account");
        assertThat(browser.text("message-text")).contains("nobody-" + account).contains("Check the account id");

        id = browser.css("#signin-account");
        id.clear();
        id.sendKeys(account, Keys.ENTER);
        browser.await("ready");
        assertThat(browser.css("#asof").isDisplayed()).as("As of, for an operator key").isTrue();
        assertThat(browser.driver.getCurrentUrl()).contains("account=" + account).doesNotContain("cpk_");
        for (WebElement input : browser.all("#content input, #content select")) {
            assertThat(browser.all("label[for='" + input.getDomAttribute("id") + "']"))
                    .as("a label for #%s", input.getDomAttribute("id")).hasSize(1);
        }
        browser.assertAccessible("support");
    }

    @Test
    void theFaviconAndTheChartLibraryAreServedAndThePageStaysOwnOrigin() throws IOException {
        HttpResponse<String> icon = PageApi.send(base + "/favicon.ico");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("icon"));
        HttpResponse<String> chart = PageApi.send(base + "/webjars/chart.js/4.4.7/dist/chart.umd.js");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart.js v4.4.7");
        HttpResponse<String> page = PageApi.send(base + "/usage");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'").doesNotContain("http"));
        for (String bundle : new String[] {"en", "zh-CN"}) {
            assertThat(PageApi.send(base + "/usage/i18n/" + bundle + ".json").statusCode()).isEqualTo(200);
        }
    }
}
