package dev.creditspolicy.api.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import dev.creditspolicy.service.ProblemType;

/**
 * The problems of the OpenAPI document: the one {@code Problem} schema, whose {@code type} is the enum of every
 * declared slug ({@link ProblemType}), and each operation's problem responses, one per status, naming its slugs.
 */
public final class ProblemResponses {
    public static final String SCHEMA = "Problem";
    public static final String MEDIA_TYPE = "application/problem+json";
    static final String RULE_ERROR = "RuleError";
    /** What any call may meet: a malformed request or query, no key, a role that may not, limits, contention, a bug. */
    static final List<ProblemType> ANY_CALL = List.of(ProblemType.VALIDATION_FAILED, ProblemType.UNAUTHENTICATED,
            ProblemType.FORBIDDEN, ProblemType.NOT_ACCEPTABLE, ProblemType.RATE_LIMITED, ProblemType.INTERNAL_ERROR,
            ProblemType.BUSY);
    /** What a call with a body may meet besides. */
    static final List<ProblemType> ANY_BODY = List.of(ProblemType.REQUEST_TIMEOUT, ProblemType.PAYLOAD_TOO_LARGE,
            ProblemType.UNSUPPORTED_MEDIA_TYPE);

    private ProblemResponses() {
    }

    /** The schemas of a problem: {@code Problem} and a rule file's error in it. */
    public static Map<String, Schema> schemas(String typeBase) {
        Schema<?> error = new ObjectSchema().description("an error of a rule file (rules-invalid)")
                .addProperty("file", new StringSchema()).addProperty("line", new IntegerSchema())
                .addProperty("rule", new StringSchema()).addProperty("message", new StringSchema());
        return Map.of(SCHEMA, schema(typeBase), RULE_ERROR, error);
    }

    /** The {@code Problem} schema; {@code typeBase} is what every {@code type} starts with. */
    private static Schema<?> schema(String typeBase) {
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (ProblemType t : ProblemType.values()) {
            types.add(typeBase + t.slug());
            names.add(t.name());
            titles.add(t.title() + " (" + t.status() + ")");
        }
        StringSchema type = new StringSchema();
        type.setEnum(types);
        type.description(typeBase + "<slug>; a rule may name a slug of its own (422), and the container may answer "
                + typeBase + "http-<status> for a status without one");
        type.addExtension("x-enum-varnames", names);
        type.addExtension("x-enum-descriptions", titles);
        return new ObjectSchema()
                .description("A refusal (RFC 9457 problem+json). Nothing was stored for it.")
                .addProperty("type", type)
                .addProperty("title", new StringSchema().description("the title of the type"))
                .addProperty("status", new IntegerSchema().description("the HTTP status"))
                .addProperty("detail", new StringSchema().description("what was wrong with this request"))
                .addProperty("instance", new StringSchema().description("the request's path"))
                .addProperty("field", new StringSchema().description("the field (or parameter) refused"))
                .addProperty("allowed", new ArraySchema().items(new StringSchema())
                        .description("the values allowed where an unknown one was sent"))
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/"
                        + RULE_ERROR)).description("rules-invalid: what is wrong"))
                .addProperty("rule", new StringSchema().description("rules-timeout: the rule that fired most"))
                .required(List.of("type", "title", "status"));
    }

    /** Adds to {@code op} a response per status for what any call meets and for {@code particular}. */
    public static void document(Operation op, String typeBase, List<ProblemType> particular) {
        Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
        List<ProblemType> all = new ArrayList<>(ANY_CALL);
        if (op.getRequestBody() != null) {
            all.addAll(ANY_BODY);
        }
        all.addAll(particular);
        for (ProblemType t : all) {
            List<ProblemType> same = byStatus.computeIfAbsent(t.status(), s -> new ArrayList<>());
            if (!same.contains(t)) {
                same.add(t);
            }
        }
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        byStatus.forEach((status, types) -> responses.addApiResponse(String.valueOf(status), response(typeBase,
                types)));
        op.setResponses(responses);
    }

    /**
     * Makes each operation's problem responses references to shared ones in {@code components/responses}, named by
     * their slugs ({@code busy.rules-timeout}): the document states each combination once.
     */
    public static void share(OpenAPI openApi) {
        Components components = openApi.getComponents();
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(op -> op.getResponses()
                .replaceAll((code, response) -> {
                    if (code.compareTo("400") < 0 || response.get$ref() != null) {
                        return response;
                    }
                    String name = String.join(".", response.getContent().get(MEDIA_TYPE).getExamples().keySet());
                    components.addResponses(name, response);
                    return new ApiResponse().$ref("#/components/responses/" + name);
                })));
    }

    private static ApiResponse response(String typeBase, List<ProblemType> types) {
        Map<String, Example> examples = new LinkedHashMap<>();
        for (ProblemType t : types) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("type", typeBase + t.slug());
            value.put("title", t.title());
            value.put("status", t.status());
            examples.put(t.slug(), new Example().value(value));
        }
        MediaType media = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA))
                .examples(examples);
        return new ApiResponse().description(String.join("; ", types.stream()
                .map(t -> "`" + t.slug() + "`: " + t.title()).toList()))
                .content(new Content().addMediaType(MEDIA_TYPE, media));
    }
}
