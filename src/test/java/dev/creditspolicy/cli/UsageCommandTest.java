package dev.creditspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.UsageStory;

/** {@code usage --account ID} against the service running in this test, over HTTP, as a support agent runs it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UsageCommandTest {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @DynamicPropertySource
    static void db(DynamicPropertyRegistry r) {
        TestDatabases.register(r);
    }

    @LocalServerPort
    int port;
    String server;
    String account;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void seed() {
        server = "http://localhost:" + port;
        account = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        UsageStory.seed(server, TestDatabases.ADMIN_KEY, account);
    }

    static synchronized Run usage(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "usage";
            System.arraycopy(args, 0, all, 1, args.length);
            int code = Main.run(all);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void printsTheCardAndTheCycleUsageInEightyColumns() {
        Run run = usage("--account", account, "--server", server, "--key", TestDatabases.ADMIN_KEY,
                "--at", UsageStory.AT, "--zone", "+08:00");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(String.join("\n",
                "Account " + account + " (QODER_CN), as of 2026-07-12 12:00 +08:00",
                "Plan     ENTERPRISE_TEAMS",
                "Cycle    2026-07-10 00:00 +08:00 to 2026-08-10 00:00 +08:00",
                "",
                "Credits available            244.3750",
                "  Type                      Available  Soonest expiry (amount)",
                "  Plan credits               224.3750  2026-08-10 00:00 +08:00 (224.3750)",
                "  Add-on credits              20.0000  2026-09-01 00:00 +08:00 (20.0000)",
                "  Held                        25.0000",
                "  (the whole balance: credits for every product)",
                "",
                "Usage 2026-07-10 00:00 +08:00 to 2026-08-10 00:00 +08:00, by product",
                "  Product                      Calls  Charged  Exempt  Short       Credits used",
                "  CLI                              1        1       0      0             8.1250",
                "  IDE                              1        0       0      1             0.0000",
                "  QODERWORK                        1        1       0      0            42.5000",
                "  Total                            3                                    50.6250",
                ""));
        assertThat(run.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }

    @Test
    void aChosenPeriodAndGroupingAndTheShortenedCycleBeforeTheUpgrade() {
        Run run = usage("--account", account, "--server", server, "--key", TestDatabases.ADMIN_KEY,
                "--at", "2026-07-05T12:00:00+08:00", "--from", "2026-07-01T00:00:00+08:00",
                "--to", "2026-07-13T00:00:00+08:00", "--group-by", "feature", "--zone", "+08:00");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Plan     PERSONAL_PRO\n")
                .contains("Cycle    2026-07-01 00:00 +08:00 to 2026-08-01 00:00 +08:00\n"
                        + "         ends early, at 2026-07-10 00:00 +08:00\n")
                .contains("Usage 2026-07-01 00:00 +08:00 to 2026-07-13 00:00 +08:00, by feature\n")
                .contains("  QUEST_AGENT                      2        2       0      0           113.0000\n")
                .contains("  Total                            6                                   133.3750\n");
    }

    @Test
    void jsonGivesTheServicesAnswersForScripts() {
        Run run = usage("--account", account, "--server", server, "--key", TestDatabases.ADMIN_KEY,
                "--at", UsageStory.AT, "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode all = JSON.readTree(run.out());
        assertThat(all.get("balance").get("total").decimalValue()).isEqualByComparingTo("244.375");
        assertThat(all.get("balance").get("held").decimalValue()).isEqualByComparingTo("25");
        assertThat(all.get("subscription").get("plan").asString()).isEqualTo("ENTERPRISE_TEAMS");
        assertThat(all.get("usage").get("groups").size()).isEqualTo(3);
        assertThat(all.get("balance").get("total").toString()).isEqualTo("244.3750");
    }

    @Test
    void aViewerTokenWorksAsTheKey() {
        String token = UsageStory.viewerToken(server, TestDatabases.ADMIN_KEY, account, 60);
        Run run = usage("--account", account, "--server", server, "--key", token, "--at", UsageStory.AT);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Credits available            244.3750");
    }

    @Test
    void aServerThatDoesNotAnswerABadKeyAndAnUnknownAccountSaySo() throws Exception {
        int nothing;
        try (ServerSocket s = new ServerSocket(0)) {
            nothing = s.getLocalPort();
        }
        Run down = usage("--account", account, "--server", "http://127.0.0.1:" + nothing, "--key", "cpk_x");
        assertThat(down.exitCode()).isEqualTo(UsageCommand.UNREACHABLE);
        assertThat(down.err()).contains("the service at http://127.0.0.1:" + nothing + " does not answer")
                .contains("Is it running?");
        assertThat(down.out()).isEmpty();

        Run badKey = usage("--account", account, "--server", server, "--key", "cpk_not-a-key");
        assertThat(badKey.exitCode()).isEqualTo(UsageCommand.REFUSED);
        assertThat(badKey.err()).contains("the key was refused (401 unauthenticated");

        Run unknown = usage("--account", "nobody-" + account, "--server", server, "--key", TestDatabases.ADMIN_KEY);
        assertThat(unknown.exitCode()).isEqualTo(UsageCommand.REFUSED);
        assertThat(unknown.err()).contains("no account 'nobody-" + account + "' (404 unknown-account)");

        Run badAt = usage("--account", account, "--server", server, "--key", TestDatabases.ADMIN_KEY, "--at", "noon");
        assertThat(badAt.exitCode()).isEqualTo(UsageCommand.REFUSED);
        assertThat(badAt.err()).contains("--at must be an ISO-8601 instant");
    }
}
