package dev.creditspolicy.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.utils.SpringDocAnnotationsUtils;
import org.springframework.core.ResolvableType;

import dev.creditspolicy.api.contract.ProblemResponses;
import dev.creditspolicy.api.contract.QueryParameters;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.requests.Endpoint;
import dev.creditspolicy.requests.Kinds;
import dev.creditspolicy.requests.RequestKind;
import dev.creditspolicy.service.Views.Answer;

/**
 * The OpenAPI operations of the request kinds' routes, from their declarations ({@link Endpoint}), as springdoc
 * states a controller's: the path's variables and the query parameters (typed by {@link QueryParameters}), the body
 * as its schema record, the answer as the kind's answer type (an {@link Answer}'s body, a {@link Page}'s items as an
 * array), the success status (201 with {@code Location}), the problems ({@link ProblemResponses}), tag and summary.
 */
final class KindOperations {
    /** The tags only kinds' routes carry (a controller's {@code @Tag} describes the others). */
    private static final Map<String, String> TAGS = Map.of("holds",
            "Credits reserved before a long model call and settled after it");
    private static final String JSON = "application/json";

    private KindOperations() {
    }

    /** Adds every kind's operation to {@code openApi}, with the schemas of its body and answer. */
    static void add(OpenAPI openApi) {
        for (RequestKind<?, ?> kind : Kinds.served()) {
            Endpoint e = kind.endpoint();
            Operation op = new Operation().operationId(e.operationId()).summary(e.summary()).tags(List.of(e.tag()));
            e.pathVariables().forEach(v -> op.addParametersItem(new PathParameter().name(v).schema(new StringSchema())));
            for (String name : e.query()) {
                Parameter p = new QueryParameter().name(name).required(false).schema(new StringSchema());
                QueryParameters.type(p);
                op.addParametersItem(p);
            }
            Components components = openApi.getComponents();
            if (e.body() != null) {
                op.requestBody(new RequestBody().required(true).content(json(schema(components, e.body()))));
            }
            ApiResponse ok = new ApiResponse().description("OK").content(json(schema(components, answerType(kind))));
            op.responses(new ApiResponses().addApiResponse(String.valueOf(e.status()),
                    OpenApiDocument.success(ok, e.status(), e.location() != null)));
            ProblemResponses.document(op, ProblemHandler.TYPE_BASE, e.refuses());
            openApi.getPaths().computeIfAbsent(e.path(), p -> new PathItem())
                    .operation(PathItem.HttpMethod.valueOf(e.method().name()), op);
            if (TAGS.containsKey(e.tag()) && (openApi.getTags() == null || openApi.getTags().stream()
                    .noneMatch(t -> t.getName().equals(e.tag())))) {
                openApi.addTagsItem(new Tag().name(e.tag()).description(TAGS.get(e.tag())));
            }
        }
    }

    /** What the kind answers: its result; an {@link Answer}'s body; a {@link Page}'s items, as a list. */
    static Type answerType(RequestKind<?, ?> kind) {
        ResolvableType result = KindEndpoints.result(kind);
        if (result.toClass() == Page.class) {
            return ResolvableType.forClassWithGenerics(List.class, result.getGeneric(0)).getType();
        }
        return result.getType();
    }

    /** The schema of {@code type} as springdoc resolves it (a reference, its schemas added to the components). */
    private static Schema<?> schema(Components components, Type type) {
        return SpringDocAnnotationsUtils.extractSchema(components, type, null, new Annotation[0], SpecVersion.V30);
    }

    private static Content json(Schema<?> schema) {
        return new Content().addMediaType(JSON, new MediaType().schema(schema));
    }
}
