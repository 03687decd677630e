package dev.creditspolicy.api;

import java.util.List;

import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The limits of what the service reads (issue 12): the request gate in front of every /v1 call, Tomcat's error
 * answers as problem+json, and the JSON parser's own bounds (nesting, number and name lengths, tokens).
 */
@Configuration(proxyBeanMethods = false)
class HttpLimits {
    @Bean
    FilterRegistrationBean<RequestGate> requestGate(@Value("${credits.http.max-body-bytes:65536}") long maxBody,
            @Value("${credits.http.max-batch-body-bytes:2097152}") long maxBatchBody,
            @Value("${credits.http.body-read-timeout:10s}") java.time.Duration bodyTimeout) {
        FilterRegistrationBean<RequestGate> r = new FilterRegistrationBean<>(new RequestGate(maxBody, maxBatchBody,
                bodyTimeout));
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 1); // after RequestIds, so its refusals carry the request id
        r.addUrlPatterns("/*");
        return r;
    }

    /** After security (its filter chain runs at order -100): only authenticated readers take a place. */
    @Bean
    FilterRegistrationBean<ReadGate> readGate(@Value("${credits.reads.max-concurrent:4}") int maxConcurrent,
                                              @Value("${credits.reads.max-wait:1s}") java.time.Duration maxWait) {
        FilterRegistrationBean<ReadGate> r = new FilterRegistrationBean<>(new ReadGate(maxConcurrent, maxWait));
        r.setOrder(0);
        r.addUrlPatterns("/v1/*");
        return r;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorValve.class.getName());
            }
        });
    }

    /** What one request body may hold; the 64 KB body limit bounds it first. */
    static StreamReadConstraints readConstraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxNumberLength(1000)
                .maxNameLength(256)
                .maxStringLength(64 * 1024)
                .maxTokenCount(2048)
                .maxDocumentLength(1024 * 1024)
                .build();
    }

    /**
     * What a batch body may hold (SPEC section 10): each event bounded as a body alone, the whole at most
     * {@code maxBody} bytes (2 MiB by default), two levels deeper ({@code {events: [...]}}) and 1,000 times the tokens.
     */
    static StreamReadConstraints batchReadConstraints(long maxBody) {
        StreamReadConstraints one = readConstraints();
        return one.rebuild()
                .maxNestingDepth(one.getMaxNestingDepth() + 2)
                .maxTokenCount(one.getMaxTokenCount() * BatchBodies.MAX_EVENTS + 16)
                .maxDocumentLength(maxBody)
                .build();
    }

    /** The mapper Spring MVC reads bodies with: Boot's customizers (properties, modules) over a bounded factory. */
    @Bean
    JsonMapper jacksonJsonMapper(List<JsonMapperBuilderCustomizer> customizers) {
        return mapper(customizers, readConstraints());
    }

    /** The batch routes' reader: the same mapper, with the batch's bounds. */
    @Bean
    BatchBodies batchBodies(List<JsonMapperBuilderCustomizer> customizers,
                            @Value("${credits.http.max-batch-body-bytes:2097152}") long maxBatchBody) {
        return new BatchBodies(mapper(customizers, batchReadConstraints(maxBatchBody)));
    }

    private static JsonMapper mapper(List<JsonMapperBuilderCustomizer> customizers,
                                     StreamReadConstraints constraints) {
        JsonMapper.Builder builder = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(constraints).build());
        List<JsonMapperBuilderCustomizer> sorted = new java.util.ArrayList<>(customizers);
        AnnotationAwareOrderComparator.sort(sorted);
        sorted.forEach(c -> c.customize(builder));
        return builder.build();
    }
}
