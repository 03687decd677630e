package dev.creditspolicy.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.LotSource;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Commands.CreateAccount;
import dev.creditspolicy.service.Commands.GrantAddon;
import dev.creditspolicy.service.Commands.StartCycle;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Databases;
import dev.creditspolicy.store.Store;

/**
 * One whole deduction in process (lock, idempotency look-up, plan, lots, decision, writes, commit) on an in-memory
 * H2 database: the service's {@code UsageService.record} against the hand-written baseline, with no HTTP and no
 * disk. Without a commit to wait for, what is left is the CPU each path spends: the difference between the two is
 * what the rules engine and the service's store layer cost per deduction.
 */
@State(Scope.Benchmark)
public class DeductionBench {
    static final Instant AT = OffsetDateTime.parse("2026-07-15T10:00:00+08:00").toInstant();
    static final int ACCOUNTS = 16;

    @Param({"rules", "baseline"})
    public String path;

    private HikariDataSource ds;
    private ScaleBench.Deduct deduct;
    private long seq;

    @Setup
    public void setUp() {
        HikariConfig cfg = new HikariConfig();
        cfg.setDataSource(Databases.freshInMemory("deduction_bench"));
        cfg.setMaximumPoolSize(2);
        ds = new HikariDataSource(cfg);
        Clock clock = Clock.systemUTC();
        PolicyEngine engine = PolicyEngine.load(Path.of(System.getProperty(EvaluationBench.RULES_PROPERTY, "rules")),
                clock);
        CreditsServices services = CreditsServices.of(new Store(ds), engine, clock, new SimpleMeterRegistry());
        Instant start = OffsetDateTime.parse("2026-07-01T00:00:00+08:00").toInstant();
        Instant end = OffsetDateTime.parse("2026-08-01T00:00:00+08:00").toInstant();
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = "acct-" + i;
            services.accounts().create(new CreateAccount(id, Realm.QODER, Plan.PERSONAL_PRO, start));
            services.accounts().startCycle(new StartCycle(id, Plan.PERSONAL_PRO, start, end,
                    new BigDecimal("1000000000"), null));
            for (int k = 0; k < 4; k++) {
                services.accounts().grantAddon(new GrantAddon(id, null, LotSource.PURCHASE,
                        new BigDecimal("1000000000"), start, end.plusSeconds(86_400L * k), "bench add-on", null));
            }
        }
        BaselineDeduction baseline = new BaselineDeduction(ds, clock);
        deduct = path.equals("rules") ? cmd -> services.usage().record(cmd) : baseline::record;
    }

    @TearDown
    public void tearDown() {
        ds.close();
    }

    @Benchmark
    public Object deduct() {
        long n = ++seq;
        return deduct.apply(new Usage(path + "-" + n, "acct-" + (n % ACCOUNTS), null, Product.CLI,
                Feature.QUEST_AGENT, "qwen3-coder", Outcome.SUCCEEDED, new BigDecimal("0.5"), AT));
    }
}
