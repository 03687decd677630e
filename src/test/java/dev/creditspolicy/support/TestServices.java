package dev.creditspolicy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.store.Store;

/** The real services on a fresh database with the repository's rules/ and a fixed clock. No mocks. */
public final class TestServices {
    public static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
    private static PolicyEngine engine;

    private TestServices() {
    }

    /** The rules of the repository's rules/ folder, compiled once per test JVM. */
    public static synchronized PolicyEngine rules() {
        if (engine == null) {
            engine = PolicyEngine.load(Path.of("rules"), Clock.fixed(NOW, ZoneOffset.UTC));
        }
        return engine;
    }

    /** A copy of the repository's rules/*.drl in {@code target}, for a test to change as an analyst would. */
    public static Path copyOfRules(Path target) {
        try {
            Files.createDirectories(target);
            try (var files = Files.list(Path.of("rules"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
            // the decision tables of rules/tables/ (the price table serves from there)
            Files.createDirectories(target.resolve("tables"));
            try (var tables = Files.list(Path.of("rules", "tables"))) {
                for (Path f : tables.filter(p -> p.toString().endsWith(".csv")).toList()) {
                    Files.copy(f, target.resolve("tables").resolve(f.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CreditsServices fresh(String label) {
        return CreditsServices.of(new Store(TestDatabases.fresh(label)), rules(), Clock.fixed(NOW, ZoneOffset.UTC),
                new SimpleMeterRegistry());
    }
}
