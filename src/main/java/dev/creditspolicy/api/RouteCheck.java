package dev.creditspolicy.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * At start, before the port opens: every handler Spring serves under {@code /v1} has its line in {@link Routes},
 * and every line a handler. Otherwise the service refuses to start, with one line naming each route at fault: a
 * route nobody declared would answer 403 to every caller, and a declaration without a handler is a typo that
 * would leave the real route undeclared.
 */
@Component
class RouteCheck implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(RouteCheck.class);

    private final ApplicationContext context;

    RouteCheck(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> problems = problems(served(context), Routes.ALL);
        if (!problems.isEmpty()) {
            String line = "the service does not start: " + String.join("; ", problems);
            log.error(line);
            throw new IllegalStateException(line);
        }
    }

    /** A route Spring serves ({@code GET /v1/rules}, or {@code * /v1/x} for a mapping of every method) and its handler. */
    record Served(String name, String handler) {
    }

    /** Every route the handler mappings serve under {@code /v1}, by name. */
    static List<Served> served(ApplicationContext context) {
        List<Served> out = new ArrayList<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()) {
            mapping.getHandlerMethods().forEach((info, method) -> {
                String handler = method.getBeanType().getSimpleName() + "." + method.getMethod().getName();
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    if (pattern.equals("/v1") || pattern.startsWith("/v1/")) {
                        if (methods.isEmpty()) {
                            out.add(new Served("* " + pattern, handler));
                        }
                        methods.forEach(m -> out.add(new Served(m.name() + " " + pattern, handler)));
                    }
                }
            });
        }
        out.sort(Comparator.comparing(Served::name).thenComparing(Served::handler));
        return out;
    }

    /** What is wrong between the routes served and the routes declared: one sentence per route, none when all agree. */
    static List<String> problems(List<Served> served, List<Routes.Route> declared) {
        List<String> problems = new ArrayList<>();
        if (served.isEmpty()) {
            problems.add("no handler is served under /v1, so the routes of api/Routes cannot be checked");
        }
        Set<String> declaredNames = new HashSet<>();
        for (Routes.Route r : declared) {
            if (!declaredNames.add(r.name())) {
                problems.add(r.name() + " is declared twice in api/Routes");
            }
        }
        Set<String> servedNames = new HashSet<>();
        for (Served s : served) {
            servedNames.add(s.name());
            if (s.name().startsWith("* ")) {
                problems.add(s.name().substring(2) + " (" + s.handler() + ") is served for every method: map it "
                        + "to one method and declare it in api/Routes");
            } else if (!declaredNames.contains(s.name())) {
                problems.add(s.name() + " (" + s.handler() + ") is served but not declared in api/Routes");
            }
        }
        for (Routes.Route r : declared) {
            if (!served.isEmpty() && !servedNames.contains(r.name())) {
                problems.add(r.name() + " is declared in api/Routes but no handler serves it");
            }
        }
        return problems;
    }
}
