package dev.creditspolicy.api;

import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document springdoc serves at {@code /v3/api-docs} (and the Swagger UI at {@code /swagger-ui.html}),
 * both without a key: the bearer scheme every /v1 call needs, and the problem slugs with their statuses.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocument {
    @Bean
    OpenAPI creditsPolicyOpenApi() {
        StringBuilder slugs = new StringBuilder("Errors are application/problem+json; `type` is ")
                .append(ProblemHandler.TYPE_BASE).append("<slug>:\n\n| slug | status |\n|---|---|\n");
        Map<String, Integer> sorted = new TreeMap<>(ProblemTypes.all());
        sorted.forEach((slug, status) -> slugs.append("| `").append(slug).append("` | ").append(status)
                .append(" |\n"));
        return new OpenAPI()
                .info(new Info().title("credits-policy").version("v1")
                        .description("Decides how prepaid AI-usage credits are charged. Every /v1 call needs "
                                + "`Authorization: Bearer <key>` (roles service, operator, analyst, admin; see the "
                                + "docs/access.md).\n\n" + slugs))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("an API key (cpk_...) or a viewer token (cpv_...)")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
