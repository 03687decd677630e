package dev.creditspolicy.access;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

import dev.creditspolicy.store.Databases;

/**
 * Production mode (issue 31): on any database but the embedded default (an H2 file), the service refuses to start
 * without {@code credits.admin-key}, unless {@value #DEVELOPMENT_SWITCH} is true. Checked on the settings alone,
 * before anything connects or migrates, and reported on one line by {@link Analyzer} (no stack trace). Registered in
 * META-INF/spring.factories; runs after Spring Boot has read every property source.
 */
public final class ProductionMode implements EnvironmentPostProcessor, Ordered {
    public static final String ADMIN_KEY = "credits.admin-key";
    public static final String DEVELOPMENT_SWITCH = "credits.allow-development-admin-key";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String refusal = refusal(environment.getProperty("spring.datasource.url"),
                environment.getProperty(ADMIN_KEY), environment.getProperty(DEVELOPMENT_SWITCH, Boolean.class, false));
        if (refusal != null) {
            throw new Refused(refusal);
        }
    }

    /** Why the service may not start with these settings; null when it may. */
    static String refusal(String datasourceUrl, String adminKey, boolean developmentKeyAllowed) {
        if (Databases.isEmbeddedH2File(datasourceUrl) || developmentKeyAllowed
                || adminKey != null && !adminKey.isBlank()) {
            return null;
        }
        return "Refusing to start: " + ADMIN_KEY + " (CREDITS_ADMIN_KEY) is not set, and the database is not the "
                + "embedded H2 file (" + datasourceUrl.split("[?;]", 2)[0] + "); set the admin key, or "
                + DEVELOPMENT_SWITCH + "=true to create a development key as on the embedded default.";
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The refusal, as its own type so that {@link Analyzer} reports it without a stack trace. */
    public static final class Refused extends IllegalStateException {
        Refused(String message) {
            super(message);
        }
    }

    /** Spring Boot's failure report for a refusal: the one line, and what to do. */
    public static final class Analyzer extends AbstractFailureAnalyzer<Refused> {
        @Override
        protected FailureAnalysis analyze(Throwable root, Refused cause) {
            return new FailureAnalysis(cause.getMessage(), "Set " + ADMIN_KEY + " (environment CREDITS_ADMIN_KEY)"
                    + " to a long random secret; see docs/operations.md, \"Settings for production\".", cause);
        }
    }
}
