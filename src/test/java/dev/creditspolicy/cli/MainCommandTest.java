package dev.creditspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Databases;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestServices;

/** The jar's command line (issue 31): version, unknown words, serve, impact's database, formats, JUnit XML. */
class MainCommandTest {
    static final String PASSING = """
            name: a plan call is charged
            steps:
              - account: {id: dana, realm: QODER, plan: PERSONAL_PRO, at: 2026-07-01T00:00:00+08:00}
              - cycle: {account: dana, plan: PERSONAL_PRO, start: 2026-07-01T00:00:00+08:00, end: 2026-08-01T00:00:00+08:00, credits: 100, lotId: plan-jul}
              - usage: {requestId: u1, account: dana, product: IDE, feature: EDITOR_AGENT, model: m, outcome: SUCCEEDED, credits: 10, occurredAt: 2026-07-02T00:00:00+08:00}
                expect: {status: CHARGED, charged: 10}
            """;
    static final String FAILING = PASSING.replace("a plan call is charged", "a wrong <expectation> & more")
            .replace("charged: 10}", "charged: 11}");

    @Test
    @DisplayName("--version prints the build's version and the rules version of ./rules, exit 0, no service")
    void version() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("credits-policy 0.1.0-SNAPSHOT\nrules " + Path.of("rules").toAbsolutePath()
                + ": version " + PolicyEngine.versionOf(Path.of("rules")) + "\n");
        assertThat(Main.serves("--version")).isFalse();
    }

    @Test
    @DisplayName("an unknown command word or option exits 2 with the list of commands; only settings serve")
    void unknownWord() {
        for (String word : List.of("frobnicate", "srve")) {
            CliRun run = CliRun.of(word);
            assertThat(run.exitCode()).as(word).isEqualTo(2);
            assertThat(run.err()).as(word).contains(word).contains("Commands:")
                    .contains("serve").contains("replay").contains("record").contains("rules").contains("usage");
            assertThat(Main.serves(word)).as(word).isFalse();
        }
        CliRun mistyped = CliRun.of("--versoin");
        assertThat(mistyped.exitCode()).isEqualTo(2);
        assertThat(mistyped.err()).contains("Unknown option: '--versoin'").contains("--version");
        assertThat(Main.serves("--versoin")).isFalse();
        assertThat(Main.serves()).isTrue();
        assertThat(Main.serves("serve", "--server.port=9000")).isTrue();
        assertThat(Main.serves("--server.port=9000")).isTrue();
        assertThat(CliRun.of("--help").out()).contains("serve").contains("Runs the HTTP service");
    }

    @Test
    @DisplayName("rules impact over a ledger: refused without --db; with it, its first line names the database")
    void impactNamesItsDatabase() {
        CliRun refused = CliRun.of("rules", "impact", "--to", "rules");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).contains("--db");

        String url = "jdbc:h2:mem:impact_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        DriverManagerDataSource ds = new DriverManagerDataSource(url, "sa", "");
        Databases.migrate(ds);
        ReplayCommandTestData.populate(CreditsServices.of(new Store(ds), TestServices.rules(), Clock.systemUTC(),
                new SimpleMeterRegistry()));
        CliRun run = CliRun.of("rules", "impact", "--to", "rules", "--db", url);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().findFirst().orElseThrow()).isEqualTo("impact of rules against rules over the "
                + "ledger " + url.split(";")[0] + " (user sa)");
        assertThat(run.out()).contains("0 of 5 usage decisions change");
        assertThat(run.err()).as("no progress line off a terminal").isEmpty();
    }

    @Test
    @DisplayName("rules impact: an unknown --format is refused, exit 2")
    void unknownFormat() {
        CliRun run = CliRun.of("rules", "impact", "--to", "rules", "--scenarios", "src/test/scenarios/ledger",
                "--format", "xml");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--format").contains("xml").contains("text, json");
    }

    @Test
    @DisplayName("replay and rules check --junit-xml: one test case per scenario, the failing one with its step")
    void junitXml(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("suite"));
        Files.writeString(dir.resolve("suite/a-pass.yaml"), PASSING);
        Files.writeString(dir.resolve("suite/b-fail.yaml"), FAILING);
        Path replayXml = dir.resolve("replay.xml");
        CliRun replay = CliRun.of("replay", "--junit-xml", replayXml.toString(), dir.resolve("suite").toString());
        assertThat(replay.exitCode()).isEqualTo(1);
        assertThat(replay.out()).endsWith("1 passed, 1 failed\n");
        assertThat(replay.err()).as("no progress line off a terminal").isEmpty();
        assertReport(replayXml, "replay");

        Path checkXml = dir.resolve("check.xml");
        CliRun check = CliRun.of("rules", "check", "rules", "--scenarios", dir.resolve("suite").toString(),
                "--junit-xml", checkXml.toString());
        assertThat(check.exitCode()).isEqualTo(1);
        assertReport(checkXml, "rules check rules");
    }

    private static void assertReport(Path xml, String suite) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuite");
        assertThat(root.getAttribute("name")).isEqualTo(suite);
        assertThat(root.getAttribute("tests")).isEqualTo("2");
        assertThat(root.getAttribute("failures")).isEqualTo("1");
        NodeList cases = root.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(2);
        Element pass = (Element) cases.item(0);
        Element fail = (Element) cases.item(1);
        assertThat(pass.getAttribute("name")).isEqualTo("a plan call is charged");
        assertThat(pass.getElementsByTagName("failure").getLength()).isZero();
        assertThat(fail.getAttribute("name")).isEqualTo("a wrong <expectation> & more");
        assertThat(fail.getAttribute("classname")).endsWith("b-fail.yaml");
        assertThat(fail.getElementsByTagName("failure").item(0).getTextContent()).contains("charged").contains("11");
    }

    @Test
    @DisplayName("progress: shown in place on a terminal and cleared at the end; nothing when not on a terminal")
    void progress() {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Progress onTerminal = new Progress("replay", new PrintStream(shown, true, StandardCharsets.UTF_8), true);
        for (String ignored : onTerminal.over(List.of("a", "b"))) {
            assertThat(shown.toString(StandardCharsets.UTF_8)).endsWith("replay " + (ignored.equals("a") ? 0 : 1)
                    + "/2");
        }
        assertThat(shown.toString(StandardCharsets.UTF_8)).contains("\rreplay 2/2").endsWith("\r");

        ByteArrayOutputStream hidden = new ByteArrayOutputStream();
        Progress piped = new Progress("replay", new PrintStream(hidden, true, StandardCharsets.UTF_8), false);
        piped.over(List.of("a", "b")).forEach(x -> { });
        piped.accept(1, 1);
        assertThat(hidden.size()).isZero();
    }
}
