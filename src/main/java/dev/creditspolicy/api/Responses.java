package dev.creditspolicy.api;

import org.springframework.http.ResponseEntity;

import dev.creditspolicy.service.Views.Answer;

/** An idempotent retry gets the first answer again, with the same status, marked by a header. */
final class Responses {
    static final String REPLAYED = "Idempotent-Replayed";

    private Responses() {
    }

    static <T> ResponseEntity<T> of(Answer<T> answer, int status) {
        return ResponseEntity.status(status).header(REPLAYED, Boolean.toString(answer.replayed())).body(answer.body());
    }
}
