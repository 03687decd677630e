package dev.creditspolicy.metrics;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.creditspolicy.store.Store;

/**
 * The operator's metrics (issue 31; the list with meanings: docs/operations.md, "Metrics"): the ledger's totals read
 * every {@code credits.metrics.ledger-seconds} (default 30; 0: never) on a thread of their own, and the
 * descriptions of meters registered without one.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfig {
    private static final Logger log = LoggerFactory.getLogger(MetricsConfig.class);

    @Bean
    static MeterFilter meterDescriptions() {
        return new MeterDescriptions();
    }

    @Bean
    LedgerMetrics ledgerMetrics(Store store, Clock clock, MeterRegistry meters) {
        return new LedgerMetrics(store, clock, meters);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService ledgerMetricsReader() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /** From when the service is ready: before, the migrations may not have made the tables yet. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> ledgerMetricsStart(
            @Qualifier("ledgerMetricsReader") ScheduledExecutorService timer, LedgerMetrics metrics,
            @Value("${credits.metrics.ledger-seconds:30}") long everySeconds) {
        return ready -> {
            if (everySeconds > 0) {
                timer.scheduleWithFixedDelay(() -> {
                    try {
                        metrics.refresh();
                    } catch (RuntimeException e) {
                        log.warn("ledger metrics not read (next run retries): {}", e.toString());
                    }
                }, 0, everySeconds, TimeUnit.SECONDS);
            }
        };
    }
}
