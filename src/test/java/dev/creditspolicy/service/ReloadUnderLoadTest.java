package dev.creditspolicy.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.policy.facts.Feature;
import dev.creditspolicy.policy.facts.Outcome;
import dev.creditspolicy.policy.facts.Plan;
import dev.creditspolicy.policy.facts.Product;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

/**
 * Reloads swap rule sets while usage requests run: no request fails, and each is decided wholly under one version
 * (a decision of version B lists B's marker rule; one of version A never does).
 */
class ReloadUnderLoadTest {
    static final String MARKER = "Marker of candidate B: fires on every call";
    static final Instant T = Instant.parse("2026-07-02T00:00:00Z");

    @Test
    @DisplayName("Under concurrent usage, reloads never fail a request and never mix two versions in one decision")
    void reloadUnderLoad(@TempDir Path dir) throws Exception {
        Path rules = TestServices.copyOfRules(dir.resolve("rules"));
        String priorityA = Files.readString(rules.resolve("priority.drl"));
        String priorityB = priorityA + "\nrule \"" + MARKER + "\"\nwhen\n    UsageCall()\nthen\nend\n";

        Clock clock = Clock.fixed(T, ZoneOffset.UTC);
        PolicyEngine engine = PolicyEngine.load(rules, clock);
        String versionA = engine.current().version();
        CreditsServices s = CreditsServices.of(new Store(TestDatabases.fresh("reload")), engine, clock,
                new SimpleMeterRegistry());
        RulesService reloads = new RulesService(engine, s.store(), clock);
        for (int a = 0; a < 4; a++) {
            String id = "acct-" + a;
            s.accounts().create(new Commands.CreateAccount(id, Realm.QODER, Plan.PERSONAL_PRO, T.minusSeconds(86_400)));
            s.accounts().startCycle(new Commands.StartCycle(id, Plan.PERSONAL_PRO, T.minusSeconds(86_400),
                    T.plusSeconds(30 * 86_400), new BigDecimal("1000000.0000"), "plan-" + a));
        }

        AtomicBoolean running = new AtomicBoolean(true);
        Set<String> versions = new HashSet<>(Set.of(versionA));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        AtomicInteger swapped = new AtomicInteger();
        Future<Integer> reloader = pool.submit(() -> {
            int swaps = 0;
            while (running.get()) {
                Files.writeString(rules.resolve("priority.drl"), swaps % 2 == 0 ? priorityB : priorityA,
                        StandardOpenOption.TRUNCATE_EXISTING);
                versions.add(reloads.reload(RulesService.API).rules().version());
                swaps++;
                swapped.set(swaps);
            }
            return swaps;
        });
        ConcurrentLinkedQueue<UsageDecision> decisions = new ConcurrentLinkedQueue<>();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                // at least 150 calls each, and on until two reloads have happened (a reload takes longer than
                // 600 calls on a busy machine), within a bound
                for (int i = 0; (i < 150 || swapped.get() < 2) && i < 20_000; i++) {
                    decisions.add(s.usage().record(new Commands.Usage("c" + client + "-" + i, "acct-" + (i % 4),
                            null, Product.values()[i % 5], Feature.EDITOR_AGENT, "m", Outcome.SUCCEEDED,
                            new BigDecimal("1.2500"), T)).body());
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get(120, TimeUnit.SECONDS); // rethrows any failed request
        }
        running.set(false);
        int swaps = reloader.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(decisions.size()).isGreaterThanOrEqualTo(600);
        assertThat(swaps).as("reloads during the run").isGreaterThanOrEqualTo(2);
        assertThat(versions).hasSize(2);
        Set<String> seen = new HashSet<>();
        for (UsageDecision d : decisions) {
            assertThat(d.status().name()).isEqualTo("CHARGED");
            assertThat(versions).contains(d.rulesVersion());
            seen.add(d.rulesVersion());
            if (d.rulesVersion().equals(versionA)) {
                assertThat(d.firedRules()).doesNotContain(MARKER);
            } else {
                assertThat(d.firedRules()).contains(MARKER);
            }
        }
        assertThat(seen).as("decisions were made under both versions").hasSize(2);
        assertThat(reloads.history(1000)).hasSize(swaps);
    }
}
