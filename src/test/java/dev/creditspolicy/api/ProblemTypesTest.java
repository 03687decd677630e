package dev.creditspolicy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

import dev.creditspolicy.store.Store;

/** The service refuses by slug; the API alone decides the HTTP status (the problem table of docs/http-api.md). */
@DisplayName("HTTP status of each problem type")
class ProblemTypesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"validation-failed, 400", "unknown-account, 404", "not-found, 404", "account-exists, 409",
            "idempotency-conflict, 409", "realm-mismatch, 422", "addon-not-allowed, 422", "rules-invalid, 422",
            "credits-limit-exceeded, 422", "not-acceptable, 406", "unsupported-media-type, 415",
            "payload-too-large, 413", "method-not-allowed, 405", "last-admin, 409", "a-refusal-a-rule-names, 422"})
    void statusOfSlug(String slug, int status) {
        assertEquals(status, ProblemTypes.status(slug));
    }

    @Test
    @DisplayName("the store's busy refusal (retries exhausted, on either database) answers 503 busy with Retry-After")
    void busyIs503() throws Exception {
        Store store = new Store(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                "jdbc:h2:mem:busy_" + System.nanoTime()));
        Store.Busy busy = null;
        try {
            store.inTransaction(tx -> {
                throw new IllegalStateException(new SQLException("lock timeout", "55P03"));
            });
        } catch (Store.Busy e) {
            busy = e;
        }
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/usage");

        ResponseEntity<ProblemDetail> answer = new ProblemHandler().busy(busy, request);

        assertEquals(503, answer.getStatusCode().value());
        assertEquals("1", answer.getHeaders().getFirst("Retry-After"));
        assertEquals(MediaType.APPLICATION_PROBLEM_JSON, answer.getHeaders().getContentType());
        assertEquals(ProblemHandler.TYPE_BASE + "busy", answer.getBody().getType().toString());
    }
}
