package dev.creditspolicy.api.contract;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;

import dev.creditspolicy.paging.PageRequest;

/**
 * The query parameters as the OpenAPI document types them. The controllers read each as a string and parse it
 * strictly (requests/Fields, paging/PageRequest); a name means the same on every route, so it is typed once here.
 */
public final class QueryParameters {
    private static final Map<String, Supplier<Schema<?>>> TYPES = Map.of(
            "at", () -> instant("the instant to answer at; now when left out"),
            "from", () -> instant("from this instant on (inclusive)"),
            "to", () -> instant("up to this instant (exclusive)"),
            "limit", () -> new IntegerSchema().minimum(java.math.BigDecimal.ONE)
                    .maximum(java.math.BigDecimal.valueOf(PageRequest.MAX_LIMIT)).description("at most this many"),
            "after", () -> new StringSchema().description("the cursor of the page before (from the Link header)"),
            "product", () -> new Schema<>().$ref("#/components/schemas/Product"),
            "status", () -> new Schema<>().$ref("#/components/schemas/Status"),
            "explain", () -> new BooleanSchema().description("true adds every lot of the account and why it was "
                    + "or was not drawn"),
            "groupBy", () -> enumOf(List.of("product", "feature", "model", "day")));

    private QueryParameters() {
    }

    /** Gives {@code p} its type when its name has one. */
    public static void type(Parameter p) {
        Supplier<Schema<?>> schema = TYPES.get(p.getName());
        if (schema != null) {
            p.setSchema(schema.get());
        }
    }

    private static Schema<?> instant(String description) {
        return new StringSchema().format("date-time").description(description + "; ISO-8601 with an offset");
    }

    private static Schema<?> enumOf(List<String> values) {
        StringSchema s = new StringSchema();
        s.setEnum(values);
        return s;
    }
}
