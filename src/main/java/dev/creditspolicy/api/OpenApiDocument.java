package dev.creditspolicy.api;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.creditspolicy.access.Role;
import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.api.contract.ProblemResponses;
import dev.creditspolicy.api.contract.QueryParameters;
import dev.creditspolicy.policy.facts.EventType;

/**
 * The OpenAPI document springdoc serves at {@code /v3/api-docs} (and the Swagger UI at {@code /swagger-ui.html}),
 * both without a key: the bearer scheme every /v1 call needs, each operation's typed body (a request kind's schema
 * record, {@link KindOperations}; the records of api/contract, read by springdoc from the other controllers'
 * annotations), its success status ({@link Answers}; 201 with
 * {@code Location}) and its problem responses, all referring to the one {@code Problem} schema. Clients are generated
 * from it (docs/http-api.md); src/main/resources/openapi/credits-policy.json is its committed copy.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocument {
    private static final Pattern SCHEMA_REF = Pattern.compile("#/components/schemas/([A-Za-z0-9_.-]+)");

    @Bean
    OpenAPI creditsPolicyOpenApi() {
        // each enum (Product, Feature, Realm...) one schema that bodies and answers refer to: one enum in a client
        ModelResolver.enumsAsRef = true;
        return new OpenAPI()
                .info(new Info().title("credits-policy").version("v1")
                        .description("Decides how prepaid AI-usage credits are charged. Every /v1 call needs "
                                + "`Authorization: Bearer <key>` (roles service, operator, analyst, admin; see "
                                + "docs/access.md). Amounts are decimal numbers with at most 4 decimals; instants "
                                + "ISO-8601 with an offset (answers are in UTC). Errors are application/problem+json "
                                + "(the `Problem` schema): `type` is " + ProblemHandler.TYPE_BASE + "<slug>, and "
                                + "every operation lists the slugs it may answer."))
                .servers(List.of(new Server().url("http://localhost:8080")
                        .description("the service as the README runs it")))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("an API key (cpk_...) or a viewer token (cpv_...)"))
                        .schemas(new TreeMap<>(ProblemResponses.schemas(ProblemHandler.TYPE_BASE))))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /** The success status an operation declares, its query parameters' types, and its problem responses. */
    @Bean
    OperationCustomizer answers() {
        return (operation, handler) -> {
            Answers answers = handler.getMethodAnnotation(Answers.class);
            int status = answers == null ? 200 : answers.status();
            if (status != 200 && operation.getResponses() != null) {
                operation.getResponses().addApiResponse(String.valueOf(status), success(operation.getResponses()
                        .remove("200"), status, answers.location()));
            }
            if (operation.getParameters() != null) {
                operation.getParameters().stream().filter(p -> "query".equals(p.getIn()))
                        .forEach(QueryParameters::type);
            }
            ProblemResponses.document(operation, ProblemHandler.TYPE_BASE,
                    answers == null ? List.of() : Arrays.asList(answers.refuses()));
            return operation;
        };
    }

    /** The success response {@code ok} as answered with {@code status}: a 201 is "Created", with its Location. */
    static ApiResponse success(ApiResponse ok, int status, boolean location) {
        if (status == 201) {
            ok.description("Created");
        }
        if (status == 201 && location) {
            ok.addHeaderObject("Location", new Header().description("the address of what was created")
                    .schema(new StringSchema()));
        }
        return ok;
    }

    /**
     * The request kinds' operations (from their declarations, {@link KindOperations}), enums of wire names the
     * records cannot state by type (roles and event types are written in lower case), the problem responses shared,
     * and a stable order of tags, so that the document is the same from one start to the next.
     */
    @Bean
    OpenApiCustomizer wireNames() {
        return openApi -> {
            KindOperations.add(openApi);
            Map<String, Schema> schemas = openApi.getComponents().getSchemas();
            List<String> eventTypes = Arrays.stream(EventType.values()).map(EventType::wire).toList();
            names(property(schemas, "KeyBody", "roles").getItems(), Arrays.stream(Role.values()).map(Role::wire)
                    .toList());
            names(property(schemas, "WebhookBody", "eventTypes").getItems(), eventTypes);
            names(property(schemas, "EventEnvelope", "type"), eventTypes);
            ProblemResponses.share(openApi);
            referencedOnly(openApi);
            if (openApi.getTags() != null) {
                openApi.getTags().sort(Comparator.comparing(t -> t.getName()));
            }
        };
    }

    /**
     * Drops the schemas no operation reaches (as springdoc does for the controllers'): a kind's schemas are resolved
     * with everything they name, e.g. the unwrapped {@code Cost} of a usage body.
     */
    private static void referencedOnly(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        Set<String> reached = new HashSet<>();
        Deque<String> texts = new ArrayDeque<>(List.of(Json.pretty(openApi.getPaths()),
                Json.pretty(openApi.getComponents().getResponses())));
        while (!texts.isEmpty()) {
            Matcher m = SCHEMA_REF.matcher(texts.pop());
            while (m.find()) {
                if (reached.add(m.group(1)) && schemas.containsKey(m.group(1))) {
                    texts.push(Json.pretty(schemas.get(m.group(1))));
                }
            }
        }
        schemas.keySet().retainAll(reached);
    }

    private static Schema<?> property(Map<String, Schema> schemas, String schema, String property) {
        Schema<?> owner = schemas.get(schema);
        if (owner == null || owner.getProperties() == null || owner.getProperties().get(property) == null) {
            throw new IllegalStateException("the OpenAPI document has no " + schema + "." + property);
        }
        return owner.getProperties().get(property);
    }

    @SuppressWarnings("unchecked")
    private static void names(Schema<?> schema, List<String> names) {
        ((Schema<String>) schema).setEnum(names);
    }
}
