package dev.creditspolicy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;

import dev.creditspolicy.policy.EvaluationBudget;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.RuleSet;
import dev.creditspolicy.service.AccountService;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Limits;
import dev.creditspolicy.service.ReportService;
import dev.creditspolicy.service.RulesService;
import dev.creditspolicy.service.HoldSweeper;
import dev.creditspolicy.service.RulesWatcher;
import dev.creditspolicy.service.UsageBatcher;
import dev.creditspolicy.service.GroupCommit;
import dev.creditspolicy.service.Commands.HoldCommand;
import dev.creditspolicy.service.UsageService;
import dev.creditspolicy.store.Store;

/** The HTTP service. The same jar also runs the command-line tools: see {@link dev.creditspolicy.cli.Main}. */
@SpringBootApplication
public class CreditsPolicyApplication {
    private static final Logger log = LoggerFactory.getLogger(CreditsPolicyApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(CreditsPolicyApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Loads the rules at start; a rule set that does not compile stops the start with file and line. */
    @Bean
    PolicyEngine policyEngine(@Value("${credits.rules-dir:rules}") String rulesDir, Clock clock,
                              @Value("${credits.rules.budget-ms:2000}") long budgetMs,
                              @Value("${credits.rules.max-firings:10000}") int maxFirings,
                              @Value("${credits.rules.max-firings-per-fact:100}") int maxFiringsPerFact,
                              MeterRegistry meters) {
        PolicyEngine engine = new PolicyEngine(Path.of(rulesDir).toAbsolutePath().normalize(), clock,
                new EvaluationBudget(maxFirings, maxFiringsPerFact, budgetMs));
        FunctionCounter.builder("credits.rules.budget.exceeded", engine, PolicyEngine::budgetsExceeded)
                .description("evaluations that spent their budget (answered rules-timeout)").register(meters);
        RuleSet rules = engine.reload().rules();
        log.info("rules loaded: version {} from {} ({} files)", rules.version(), engine.rulesDir(),
                rules.files().size());
        return engine;
    }

    @Bean
    Store store(DataSource dataSource) {
        return new Store(dataSource);
    }

    @Bean
    CreditsServices creditsServices(Store store, PolicyEngine engine, Clock clock, MeterRegistry meters,
                                    @Value("${credits.limits.future-skew:P1D}") java.time.Duration futureSkew,
                                    @Value("${credits.limits.active-lots:1000}") int activeLots) {
        return CreditsServices.of(store, engine, meters, new Limits(clock, futureSkew, activeLots));
    }

    @Bean
    AccountService accountService(CreditsServices services) {
        return services.accounts();
    }

    @Bean
    UsageService usageService(CreditsServices services) {
        return services.usage();
    }

    /**
     * Group commit on the usage path (issue 17): {@code credits.usage.batch.writers} writer threads (0: none, each
     * request its own transaction), each storing up to {@code credits.usage.batch.max-size} waiting requests per
     * transaction. No more writers than the pool has connections (one on the embedded H2 file).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("${credits.usage.batch.writers:2} > 0")
    UsageBatcher usageBatcher(UsageService usage, DataSource dataSource,
                              @Value("${credits.usage.batch.writers:2}") int writers,
                              @Value("${credits.usage.batch.max-size:32}") int maxSize) {
        return usage.startBatching(atMostOnePerConnection(writers, dataSource), maxSize);
    }

    /** A writer holds a connection for its whole batch: no more writers than the pool has connections. */
    private static int atMostOnePerConnection(int writers, DataSource dataSource) {
        return dataSource instanceof HikariDataSource pool ? Math.min(writers, pool.getMaximumPoolSize()) : writers;
    }

    /**
     * Group commit of holds, commits and releases: {@code credits.holds.batch.writers} writer threads (0: none),
     * each running up to {@code credits.holds.batch.max-size} waiting hold requests per transaction. No more writers
     * than the pool has connections.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("${credits.holds.batch.writers:2} > 0")
    GroupCommit<HoldCommand, Object> holdBatcher(CreditsServices services, DataSource dataSource,
                                                                 @Value("${credits.holds.batch.writers:2}") int writers,
                                                                 @Value("${credits.holds.batch.max-size:32}") int maxSize) {
        return services.holds().startBatching(atMostOnePerConnection(writers, dataSource), maxSize);
    }

    @Bean
    ReportService reportService(CreditsServices services) {
        return services.reports();
    }

    @Bean
    RulesService rulesService(PolicyEngine engine, Store store, Clock clock) {
        return new RulesService(engine, store, clock);
    }

    /** The audit has the load the service started with (the schema is migrated once the context is ready). */
    @Bean
    ApplicationRunner recordStartupRules(RulesService rules) {
        return args -> rules.recordStartup();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "credits.rules.watch", havingValue = "true")
    RulesWatcher rulesWatcher(RulesService rules, PolicyEngine engine) throws IOException {
        return new RulesWatcher(rules, engine.rulesDir());
    }

    /**
     * Marks expired holds EXPIRED every {@code credits.holds.sweep-seconds} (0: never), a bounded batch of accounts
     * a run, holds expired more than {@code credits.holds.sweep-grace-seconds} ago only.
     */
    @Bean(destroyMethod = "shutdownNow")
    java.util.concurrent.ScheduledExecutorService holdSweeper(Store store, PolicyEngine engine, Clock clock,
            @Value("${credits.holds.sweep-seconds:60}") long everySeconds,
            @Value("${credits.holds.sweep-grace-seconds:3600}") long graceSeconds,
            @Value("${credits.holds.sweep-batch:100}") int batch) {
        HoldSweeper sweeper = new HoldSweeper(store, engine, clock, java.time.Duration.ofSeconds(graceSeconds), batch);
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "hold-sweeper");
                    t.setDaemon(true);
                    return t;
                });
        if (everySeconds > 0) {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    int marked = sweeper.sweep();
                    if (marked > 0) {
                        log.info("hold sweeper: {} expired holds marked", marked);
                    }
                } catch (RuntimeException e) {
                    log.warn("hold sweeper run failed (next run retries): {}", e.toString());
                }
            }, everySeconds, everySeconds, java.util.concurrent.TimeUnit.SECONDS);
        }
        return timer;
    }

    /** Health is DOWN until a rule set is loaded; details name the version serving. */
    @Bean
    HealthIndicator rulesHealthIndicator(PolicyEngine engine) {
        return () -> engine.isLoaded()
                ? Health.up().withDetail("version", engine.current().version())
                        .withDetail("loadedAt", engine.current().loadedAt().toString())
                        .withDetail("files", engine.current().files().size()).build()
                : Health.down().withDetail("reason", "no rules loaded").build();
    }
}
