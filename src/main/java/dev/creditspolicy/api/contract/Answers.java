package dev.creditspolicy.api.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.creditspolicy.service.ProblemType;

/**
 * How an operation answers, for the OpenAPI document: its success status (201 documents a {@code Location}
 * header, unless told otherwise) and the problem types particular to it. The problems any call may meet (a malformed request, a missing
 * key, a role that may not, a rate limit, contention, a bug; and for a body its media type and size) are added to
 * every operation by {@link ProblemResponses}.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Answers {
    int status() default 200;

    /** Whether a 201 says where what it created is (a viewer token is no resource the API addresses). */
    boolean location() default true;

    ProblemType[] refuses() default {};
}
