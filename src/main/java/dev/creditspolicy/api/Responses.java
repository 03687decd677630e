package dev.creditspolicy.api;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.web.util.UriComponentsBuilder;

import dev.creditspolicy.service.Views.Answer;

/** An idempotent retry gets the first answer again, with the same status, marked by a header. */
final class Responses {
    static final String REPLAYED = "Idempotent-Replayed";

    private Responses() {
    }

    static <T> ResponseEntity<T> of(Answer<T> answer, int status) {
        return ResponseEntity.status(status).header(REPLAYED, Boolean.toString(answer.replayed())).body(answer.body());
    }

    /** 201 with {@code Location}: {@code template} ({@code /v1/accounts/{id}}) with {@code ids}, each encoded. */
    static <T> ResponseEntity<T> created(Answer<T> answer, String template, Object... ids) {
        return ResponseEntity.created(location(template, ids)).header(REPLAYED, Boolean.toString(answer.replayed()))
                .body(answer.body());
    }

    static URI location(String template, Object... ids) {
        return UriComponentsBuilder.fromPath(template).buildAndExpand(ids).encode().toUri();
    }
}
