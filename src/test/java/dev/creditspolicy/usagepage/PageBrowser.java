package dev.creditspolicy.usagepage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * Debian's headless Chromium, driven through /usr/bin/chromedriver, for the Usage page's tests: in Asia/Shanghai, so
 * every time on the page must be shown at +08:00. Without Chromium it fails and says how to install it, unless
 * {@code -Dcredits.test.browser.skip=true} (then the test is skipped, loudly).
 */
final class PageBrowser implements AutoCloseable {
    static final String ZONE = "Asia/Shanghai";
    private static final Path CHROMIUM = Path.of(System.getProperty("credits.test.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("credits.test.chromedriver",
            "/usr/bin/chromedriver"));
    /** Where screenshots go: target/ (docs/usage-page*.png are copies of them). */
    private static final Path SHOTS = Path.of(System.getProperty("credits.jar", "target/credits-policy.jar"))
            .toAbsolutePath().getParent();
    /** The axe-core rules run: WCAG 2.1 A and AA. */
    private static final List<String> WCAG = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private PageBrowser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    static PageBrowser start(String base) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            String why = "browser tests NOT RUN: no " + (Files.isExecutable(CHROMIUM) ? DRIVER : CHROMIUM)
                    + ". Install them: apt-get update && apt-get install -y chromium chromium-driver";
            if (Boolean.getBoolean("credits.test.browser.skip")) {
                System.err.println("\n*** " + why + " (skipped: credits.test.browser.skip=true) ***\n");
                Assumptions.abort(why);
            }
            fail(why + " (or skip them with -Dcredits.test.browser.skip=true)");
        }
        Path profile = Files.createTempDirectory("usage-page-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withEnvironment(Map.of("TZ", ZONE)).build();
        PageBrowser b = new PageBrowser(new ChromeDriver(service, options), profile, base);
        b.desktop();
        return b;
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    void open(String path) {
        open(path, "ready");
    }

    void open(String path, String state) {
        driver.get(base + path);
        await(state);
    }

    /** Waits for the page's body to say {@code data-state}: loading, ready, error, expired or signin. */
    void await(String state) {
        new WebDriverWait(driver, Duration.ofSeconds(40)).until(d -> state.equals(
                d.findElement(By.tagName("body")).getDomAttribute("data-state")));
    }

    WebElement css(String selector) {
        return driver.findElement(By.cssSelector(selector));
    }

    List<WebElement> all(String selector) {
        return driver.findElements(By.cssSelector(selector));
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    void desktop() {
        size(1280, 1000, false);
    }

    void phone() {
        size(360, 780, true);
    }

    private void size(long width, long height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", mobile));
    }

    void offline(boolean offline) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** Nothing wider than the viewport: the document does not scroll sideways. */
    void assertNoSidewaysScroll() {
        long scroll = ((Number) js("return document.documentElement.scrollWidth")).longValue();
        long client = ((Number) js("return document.documentElement.clientWidth")).longValue();
        assertThat(scroll).as("scrollWidth at %s px", client).isLessThanOrEqualTo(client);
    }

    /** axe-core over the page as it stands: no serious or critical violation of WCAG 2.1 A/AA. */
    void assertAccessible(String state) {
        Results results = new AxeBuilder().withTags(WCAG).analyze(driver);
        assertThat(results.isErrored()).as("axe-core ran on %s: %s", state, results.getErrorMessage()).isFalse();
        assertThat(results.getPasses()).as("axe-core checked something on %s", state).isNotEmpty();
        List<String> bad = results.getViolations().stream()
                .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
                .map(PageBrowser::describe).toList();
        assertThat(bad).as("serious or critical accessibility violations on the %s page", state).isEmpty();
    }

    private static String describe(Rule r) {
        return r.getImpact() + " " + r.getId() + ": " + r.getHelp() + " at " + r.getNodes().stream()
                .map(n -> String.valueOf(n.getTarget())).limit(5).toList();
    }

    /** The whole page (the viewport stretched to its height) into target/{@code name}. */
    void screenshot(String name) throws IOException {
        long width = ((Number) js("return window.innerWidth")).longValue();
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        size(width, height, width < 500);
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(SHOTS);
        Files.copy(shot, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        if (width < 500) {
            phone();
        } else {
            desktop();
        }
    }

    static WebElement field(WebElement row, String name) {
        return row.findElement(By.cssSelector("[data-field='" + name + "']"));
    }

    static void assertMoney(WebElement cell, JsonNode api) {
        assertMoney(cell, api.decimalValue());
    }

    /** Shown as money (two decimals, half up, grouped), the exact value in the title and data-amount. */
    static void assertMoney(WebElement cell, BigDecimal exact) {
        WebElement amount = cell.getDomAttribute("data-amount") != null ? cell
                : cell.findElement(By.cssSelector("[data-amount]"));
        assertThat(new BigDecimal(amount.getDomAttribute("data-amount"))).isEqualByComparingTo(exact);
        assertThat(amount.getText()).isEqualTo(String.format(Locale.US, "%,.2f",
                exact.setScale(2, RoundingMode.HALF_UP)));
        assertThat(amount.getDomAttribute("title")).isEqualTo(String.format(Locale.US, "%,.4f", exact));
    }
}
