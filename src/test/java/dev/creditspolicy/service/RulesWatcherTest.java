package dev.creditspolicy.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.support.TestDatabases;
import dev.creditspolicy.support.TestServices;

class RulesWatcherTest {

    @Test
    @DisplayName("With the watcher on, saving a rule file reloads it; a broken save is refused and audited")
    void reloadsOnSave(@TempDir Path dir) throws Exception {
        TestServices.copyOfRules(dir);
        PolicyEngine engine = PolicyEngine.load(dir, Clock.systemUTC());
        String first = engine.current().version();
        RulesService rules = new RulesService(engine, new Store(TestDatabases.fresh("watch")), Clock.systemUTC());
        try (RulesWatcher watcher = new RulesWatcher(rules, dir)) {
            Files.writeString(dir.resolve("priority.drl"), "\n// a comment changes the version\n",
                    StandardOpenOption.APPEND);
            String second = awaitVersionOtherThan(engine, first);
            long audited = System.currentTimeMillis() + 10_000;
            while (rules.history(10).isEmpty() && System.currentTimeMillis() < audited) {
                Thread.sleep(50); // the audit row is written just after the swap
            }
            assertThat(rules.history(10)).first().satisfies(r -> {
                assertThat(r.triggerKind()).isEqualTo(RulesService.WATCH);
                assertThat(r.outcome()).isEqualTo("LOADED");
                assertThat(r.serving()).isEqualTo(second);
            });

            Files.writeString(dir.resolve("expiry.drl"), "rule \"half a rule\" when\n", StandardOpenOption.APPEND);
            long deadline = System.currentTimeMillis() + 30_000;
            while (rules.history(10).stream().noneMatch(r -> r.outcome().equals("REFUSED"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(rules.history(10)).first().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo("REFUSED");
                assertThat(r.serving()).isEqualTo(second);
                assertThat(r.error()).contains("expiry.drl:");
            });
            assertThat(engine.current().version()).as("the working rules keep serving").isEqualTo(second);
        }
    }

    private static String awaitVersionOtherThan(PolicyEngine engine, String version) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (engine.current().version().equals(version) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(engine.current().version()).as("reloaded after the save").isNotEqualTo(version);
        return engine.current().version();
    }
}
