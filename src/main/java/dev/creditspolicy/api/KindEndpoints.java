package dev.creditspolicy.api;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ResolvableType;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.creditspolicy.paging.Page;
import dev.creditspolicy.requests.Endpoint;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.requests.RequestKind;
import dev.creditspolicy.service.CreditsServices;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.ExplainedDecision;

/**
 * Serves every request kind's endpoint ({@link RequestKind#endpoint()}) with one handler, mapped in Spring MVC's
 * handler mapping at start (so {@link RouteCheck}, the authorisation matrix and the fuzz test see each route as
 * served): the path's variables and the body (a read: its declared query parameters) to the kind's parser, the
 * kind run for the caller ({@link Callers#scope()}: its realm check), the change audited when the kind names an
 * action, and the answer as the kind declares it: 200, or 201 with {@code Location}; {@code Idempotent-Replayed};
 * a page with its {@code Link}. A new usage decision is counted per caller ({@link CallerCounters}). A declaration
 * whose Location or audit target names a field its answer or command lacks stops the start.
 */
@Component
class KindEndpoints {
    private static final Method CHANGE = ReflectionUtils.findMethod(KindHandler.class, "change", Map.class,
            MultiValueMap.class, JsonNode.class);
    private static final Method READ = ReflectionUtils.findMethod(KindHandler.class, "read", Map.class,
            MultiValueMap.class);

    KindEndpoints(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mapping,
                  CreditsServices services, Audited audited, CallerCounters counters) {
        for (RequestKind<?, ?> kind : Kinds.served()) {
            Endpoint e = kind.endpoint();
            check(kind, e);
            RequestMappingInfo info = RequestMappingInfo.paths(e.path())
                    .methods(RequestMethod.valueOf(e.method().name()))
                    .options(mapping.getBuilderConfiguration()).build();
            mapping.registerMapping(info, new KindHandler<>(kind, services, audited, counters),
                    e.body() == null ? READ : CHANGE);
        }
    }

    /** One kind's endpoint: the handler Spring calls for its route. */
    static final class KindHandler<C extends Record, R> {
        private final RequestKind<C, R> kind;
        private final Endpoint endpoint;
        private final CreditsServices services;
        private final Audited audited;
        private final CallerCounters counters;

        KindHandler(RequestKind<C, R> kind, CreditsServices services, Audited audited, CallerCounters counters) {
            this.kind = kind;
            this.endpoint = kind.endpoint();
            this.services = services;
            this.audited = audited;
            this.counters = counters;
        }

        /** A call with a body. */
        @ResponseBody
        public Object change(@PathVariable Map<String, String> path, @RequestParam MultiValueMap<String, String> query,
                             @RequestBody JsonNode body) {
            return answer(query, body, kind.fromHttp(path, body));
        }

        /** A read: its declared query parameters are what it parses. */
        @ResponseBody
        public Object read(@PathVariable Map<String, String> path, @RequestParam MultiValueMap<String, String> query) {
            ObjectNode parameters = JsonNodeFactory.instance.objectNode();
            for (String name : endpoint.query()) {
                String value = value(query, name);
                if (value != null && !name.equals("explain")) {
                    parameters.put(name, value);
                }
            }
            return answer(query, null, kind.fromHttp(path, parameters));
        }

        @SuppressWarnings("unchecked")
        private Object answer(MultiValueMap<String, String> query, JsonNode body, C command) {
            boolean explain = endpoint.query().contains("explain") && explain(value(query, "explain"));
            R result = kind.execute(services, Callers.scope(), command, explain);
            if (result instanceof Page<?> page) {
                return Paged.of(page);
            }
            if (!(result instanceof Answer<?> answer)) {
                // the answer itself, written as a controller's return value is (not a ResponseEntity, which Spring
                // flushes before it is complete: chunked instead of Content-Length)
                return result;
            }
            if (answer.body() instanceof ExplainedDecision) {
                counters.count((Answer<ExplainedDecision>) answer);
            }
            if (endpoint.audit() != null) {
                // the command's fields, unencoded: the audit names what was changed, it is no address
                String target = UriComponentsBuilder.fromPath(endpoint.target())
                        .buildAndExpand(fields(endpoint.target(), command)).toUriString();
                audited.change(endpoint.audit(), target, body, answer);
            }
            return endpoint.location() == null ? Responses.of(answer, endpoint.status())
                    : Responses.created(answer, endpoint.location(), fields(endpoint.location(), answer.body()));
        }
    }

    /** What a kind answers: its result, or an {@link Answer}'s body. */
    static ResolvableType result(RequestKind<?, ?> kind) {
        ResolvableType result = ResolvableType.forClass(kind.getClass()).as(RequestKind.class).getGeneric(1);
        return result.toClass() == Answer.class ? result.getGeneric(0) : result;
    }

    /**
     * A declaration's templates name fields that exist (the Location's, of the answer; the audit target's, of the
     * command), or the service does not start.
     */
    private static void check(RequestKind<?, ?> kind, Endpoint e) {
        if (e.location() != null) {
            names(e, e.location(), result(kind).toClass());
        }
        if (e.audit() != null) {
            names(e, e.target(), ResolvableType.forClass(kind.getClass()).as(RequestKind.class).getGeneric(0)
                    .toClass());
        }
    }

    private static void names(Endpoint e, String template, Class<?> type) {
        List<String> fields = type.isRecord() ? Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName).toList() : List.of();
        for (String name : Endpoint.variables(template)) {
            if (!fields.contains(name)) {
                throw new IllegalStateException(e.name() + ": '" + template + "' names {" + name + "}, which "
                        + type.getSimpleName() + " does not have");
            }
        }
    }

    /** A query parameter as Spring binds one to a string: its values joined by commas; null when absent. */
    private static String value(MultiValueMap<String, String> query, String name) {
        List<String> values = query.get(name);
        return values == null ? null : String.join(",", values);
    }

    private static boolean explain(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw Problem.invalid("explain", "'explain' is true or false");
    }

    /** The values of a template's variables, the fields of {@code record} of those names, in order. */
    static Object[] fields(String template, Object record) {
        return Endpoint.variables(template).stream().map(name -> field((Record) record, name)).toArray();
    }

    private static Object field(Record record, String name) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                return ReflectionUtils.invokeMethod(c.getAccessor(), record);
            }
        }
        throw new IllegalStateException(record.getClass().getSimpleName() + " has no field " + name);
    }
}
