package dev.creditspolicy.api;

import java.io.IOException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.web.util.UriUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import java.nio.charset.StandardCharsets;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import dev.creditspolicy.access.AdminKey;
import dev.creditspolicy.access.ApiKey;
import dev.creditspolicy.access.AuditTrail;
import dev.creditspolicy.access.Keys;
import dev.creditspolicy.access.Role;
import dev.creditspolicy.access.ViewerTokens;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.store.Store;

/**
 * Who may call what (SPEC section 8), with Spring Security: a bearer key read by an {@link AuthenticationConverter},
 * checked by an {@link AuthenticationProvider} against {@link Keys} (cached), and the roles of each route as
 * {@link Routes} declares them, in one {@link SecurityFilterChain}: a {@code /v1} call no route declares is refused
 * to every key. Every refusal is problem+json ({@code unauthenticated} 401, {@code forbidden} 403),
 * logged on one escaped line like every other refusal. The realms a key may touch are checked per request kind
 * ({@code RequestKind.execute} with a {@code Scope}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class Security {
    private static final Logger log = LoggerFactory.getLogger(Security.class);
    /** Longer than any key this service mints; a longer header is refused before any hashing. */
    static final int MAX_TOKEN_CHARS = 200;

    private static final String ADMIN = Role.ADMIN.name();

    /**
     * No Micrometer observation per security filter, authentication and authorization: wrapping each of the chain's
     * filters in its own observation cost about a tenth of the request threads' CPU on the usage path (JFR, issue
     * 17); requests are still timed as a whole by {@code http.server.requests}, and refusals logged and counted.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, Keys keys, ViewerTokens viewers, Environment env) throws Exception {
        AuthenticationFilter bearer = new AuthenticationFilter(
                new ProviderManager(new BearerKeys.KeyProvider(keys, viewers)),
                BearerKeys::bearer);
        RateLimits limits = new RateLimits(env);
        FailedAuthentications failures = new FailedAuthentications();
        AuthenticationEntryPoint unauthenticated = (request, response, e) -> {
            if (limits.admitFailure(request.getRemoteAddr(), request, response)) {
                unauthenticated(request, response, e, failures);
            }
        };
        bearer.setSuccessHandler((request, response, authentication) -> RequestIds.keyNamed(
                authentication.getPrincipal() instanceof ApiKey key ? key.name() : "viewer-token"));
        bearer.setFailureHandler(unauthenticated::commence);
        http.csrf(c -> c.disable())
                .cors(c -> c.disable())
                .httpBasic(c -> c.disable())
                .formLogin(c -> c.disable())
                .logout(c -> c.disable())
                .requestCache(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(bearer, AuthorizationFilter.class)
                .addFilterBefore(new RateLimitFilter(limits), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied()))
                .authorizeHttpRequests(a -> {
                    a.requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                            .requestMatchers("/actuator", "/actuator/**").hasRole(ADMIN);
                    for (Routes.Route r : bySpecificity(Routes.ALL)) {
                        AuthorizationManager<RequestAuthorizationContext> access = access(r);
                        a.requestMatchers(r.method(), r.path()).access(access);
                        if (r.method() == HttpMethod.GET) {
                            a.requestMatchers(HttpMethod.HEAD, r.path()).access(access);
                        }
                    }
                    // deny by default: a /v1 call no route declares (an unknown path, another method) is refused
                    // to every key; without a key it is 401, as the exception handling answers anonymous callers
                    a.requestMatchers("/v1", "/v1/**").denyAll()
                            .anyRequest().permitAll();
                });
        return http.build();
    }

    /** No user store: keys are the only callers (keeps Boot from creating a default user with a printed password). */
    @Bean
    UserDetailsService noUsers() {
        return username -> {
            throw new org.springframework.security.core.userdetails.UsernameNotFoundException("no users");
        };
    }

    /** Spring Security's firewall refusals (e.g. {@code ;} or {@code //} in a path) answer problem+json too. */
    @Bean
    RequestRejectedHandler requestRejected() {
        return (request, response, e) -> RawProblems.write(request, response, 400, Problem.VALIDATION_FAILED,
                "the request was refused: " + e.getMessage(), "path");
    }

    /**
     * Who may call a route: its roles, and for the account reads a viewer token may make, a viewer token of that
     * very account (a token of another account: 403).
     */
    private static AuthorizationManager<RequestAuthorizationContext> access(Routes.Route route) {
        AuthorizationManager<RequestAuthorizationContext> roles = AuthorityAuthorizationManager.hasAnyRole(
                route.roles().stream().map(Role::name).sorted().toArray(String[]::new));
        if (!route.viewer()) {
            return roles;
        }
        return (authentication, context) -> {
            Authentication a = authentication.get();
            if (a != null && a.getPrincipal() instanceof ViewerTokens.Viewer viewer) {
                String id = context.getVariables().get("id");
                return new AuthorizationDecision(id != null
                        && viewer.accountId().equals(UriUtils.decode(id, StandardCharsets.UTF_8)));
            }
            return roles.authorize(authentication, context);
        };
    }

    /**
     * The routes, most specific pattern first (as Spring MVC chooses a handler), so that a literal route is never
     * decided by a pattern of the same method that also matches it ({@code /v1/usage/batch}, {@code /v1/usage/{x}}).
     */
    static List<Routes.Route> bySpecificity(List<Routes.Route> routes) {
        return routes.stream().sorted(Comparator.comparing(r -> PathPatternParser.defaultInstance.parse(r.path()),
                PathPattern.SPECIFICITY_COMPARATOR)).toList();
    }

    @Bean
    ViewerTokens viewerTokens(Store store, Clock clock) {
        return new ViewerTokens(store, clock);
    }

    @Bean
    Keys keys(Store store, Clock clock) {
        return new Keys(store, clock);
    }

    @Bean
    AuditTrail auditTrail(Store store, Clock clock) {
        return new AuditTrail(store, clock);
    }

    /** Last-used instants are written every 5 s (and at shutdown), not on each request. */
    @Bean(destroyMethod = "shutdown")
    ScheduledExecutorService keyUsageFlusher(Keys keys) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "key-usage-flush");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(() -> {
            try {
                keys.flushLastUsed();
            } catch (RuntimeException e) {
                log.warn("last-used instants not written yet: {}", e.toString());
            }
        }, 5, 5, TimeUnit.SECONDS);
        return s;
    }

    /**
     * The key named admin at start (see {@link AdminKey}): one line says what happened; a new development key is
     * printed once.
     */
    @Bean
    SmartInitializingSingleton adminKey(Store store, Clock clock, Keys keys,
                                        @Value("${credits.admin-key:}") String configured) {
        // before the web server opens its port (not an ApplicationRunner, which runs after): a client that saw
        // health answer UP must find the admin key there
        return () -> {
            AdminKey.Outcome outcome = new AdminKey(store, clock, keys).bootstrap(configured);
            if (outcome.developmentSecret() != null) {
                log.warn("*** No credits.admin-key (CREDITS_ADMIN_KEY) set: created a DEVELOPMENT admin key, "
                        + "shown only this once. It is for trying the service, not for production. ***");
                log.warn("*** development admin key: {} ***", outcome.developmentSecret());
            } else if (outcome.warn()) {
                log.warn(outcome.line());
            } else {
                log.info(outcome.line());
            }
        };
    }

    private static void unauthenticated(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException e, FailedAuthentications failures)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        String detail = e instanceof BadCredentialsException ? e.getMessage()
                : "send Authorization: Bearer <key>";
        failures.refused(request.getRemoteAddr(), request.getMethod(), request.getRequestURI(), detail);
        RawProblems.answer(request, response, 401, Problem.UNAUTHENTICATED, detail, null);
    }

    private static AccessDeniedHandler denied() {
        return (request, response, e) -> RawProblems.write(request, response, 403, Problem.FORBIDDEN,
                "this key's roles may not make this call", null);
    }
}
