package dev.creditspolicy.service;

import java.nio.file.Path;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.store.Store;

/** The services over one store and one policy engine: what the HTTP API, the replay tool and tests all use. */
public record CreditsServices(AccountService accounts, UsageService usage, ReportService reports,
                              HoldService holds, HoldViews holdViews, PolicyEngine engine, Store store,
                              CorrectionService corrections, Limits limits) {

    public static CreditsServices of(Store store, PolicyEngine engine, Clock clock, MeterRegistry meters) {
        return of(store, engine, meters, Limits.defaults(clock));
    }

    /** The services under these limits (their clock is the services' clock). */
    public static CreditsServices of(Store store, PolicyEngine engine, MeterRegistry meters, Limits limits) {
        Clock clock = limits.clock();
        return new CreditsServices(new AccountService(store, engine, clock, limits.activeLots()),
                new UsageService(store, engine, clock, meters), new ReportService(store, engine, clock),
                new HoldService(store, engine, clock, meters), new HoldViews(store, clock), engine, store,
                new CorrectionService(store, engine, clock), limits);
    }

    /**
     * The services over a ledger, for tools that only read it (record, rules impact): no rules are loaded, so a
     * request that needs the policy is refused with an IllegalStateException.
     */
    public static CreditsServices reading(Store store) {
        Clock clock = Clock.systemUTC();
        return of(store, new PolicyEngine(Path.of("(no rules: read-only)"), clock), clock, new SimpleMeterRegistry());
    }
}
