package dev.creditspolicy.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.creditspolicy.events.EventLog;
import dev.creditspolicy.store.Store;

/** Events and webhooks in the service: the settings, the dispatcher (started with the service), the API's services. */
@Configuration
class WebhooksConfiguration {
    private static final Logger log = LoggerFactory.getLogger(WebhooksConfiguration.class);

    @Bean
    WebhookSettings webhookSettings(@Value("${credits.webhooks.secret-key:}") String secretKey,
                                    @Value("${spring.datasource.url:}") String databaseUrl,
                                    @Value("${credits.webhooks.allowed-hosts:}") String allowedHosts,
                                    @Value("${credits.webhooks.retries:5s,30s,2m,15m,1h,6h,24h}") String retries,
                                    @Value("${credits.webhooks.timeout-seconds:10}") long timeoutSeconds,
                                    @Value("${credits.webhooks.workers:4}") int workers,
                                    @Value("${credits.webhooks.per-endpoint:2}") int perEndpoint,
                                    @Value("${credits.webhooks.poll-ms:500}") long pollMs) {
        return new WebhookSettings(Arrays.stream(allowedHosts.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList(), WebhookSettings.schedule(retries),
                Duration.ofSeconds(timeoutSeconds), box(secretKey, databaseUrl), workers, perEndpoint,
                Duration.ofMillis(pollMs));
    }

    /** The key that protects secrets at rest; none on a production database refuses webhooks rather than fake it. */
    private static SecretBox box(String secretKey, String databaseUrl) {
        if (!secretKey.isBlank()) {
            return SecretBox.of(secretKey);
        }
        if (databaseUrl.startsWith("jdbc:h2:")) {
            log.warn("credits.webhooks.secret-key is not set: webhook secrets are encrypted under the published "
                    + "development key (H2 only; for trying the service, not for production)");
            return SecretBox.development();
        }
        log.warn("credits.webhooks.secret-key is not set: creating webhooks is refused (webhooks-not-configured) "
                + "until it is (the base64 of 32 random bytes)");
        return null;
    }

    @Bean
    DeliveryMetrics deliveryMetrics(MeterRegistry meters) {
        return new DeliveryMetrics(meters);
    }

    @Bean(destroyMethod = "close")
    Dispatcher webhookDispatcher(Store store, Clock clock, WebhookSettings settings, DeliveryMetrics metrics) {
        return new Dispatcher(store, clock, settings, metrics);
    }

    /** Delivery starts once the service is up (the schema migrated); without a secret key nothing can be signed. */
    @Bean
    ApplicationRunner startWebhookDispatcher(Dispatcher dispatcher, WebhookSettings settings,
                                             @Value("${credits.webhooks.dispatch:true}") boolean dispatch) {
        return args -> {
            if (dispatch && settings.box() != null) {
                dispatcher.start();
            }
        };
    }

    @Bean
    Webhooks webhooks(Store store, Clock clock, WebhookSettings settings, Dispatcher dispatcher) {
        return new Webhooks(store, clock, settings, dispatcher);
    }

    @Bean
    EventLog eventLog(Store store) {
        return new EventLog(store);
    }
}
