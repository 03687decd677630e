package dev.creditspolicy.service;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import dev.creditspolicy.policy.PolicyEngine;
import dev.creditspolicy.store.Store;

/** The services over one store and one policy engine: what the HTTP API, the replay tool and tests all use. */
public record CreditsServices(AccountService accounts, UsageService usage, ReportService reports,
                              PolicyEngine engine, Store store) {

    public static CreditsServices of(Store store, PolicyEngine engine, Clock clock, MeterRegistry meters) {
        return new CreditsServices(new AccountService(store, engine, clock),
                new UsageService(store, engine, clock, meters), new ReportService(store, engine, clock), engine,
                store);
    }
}
