package dev.creditspolicy.bench;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.ledger.UsageDecision;
import dev.creditspolicy.service.Views.Answer;

/**
 * Benchmark-only endpoint (compiled only with -Pbench, and off unless the jar is started with
 * {@code --credits.bench.baseline=true}): the same HTTP layer (Tomcat, Spring MVC, Jackson, the same body parsing,
 * problem handling and response shape) in front of the hand-written deduction of {@link BaselineDeduction}.
 */
@RestController
@RequestMapping("/bench/v1")
@ConditionalOnProperty(name = "credits.bench.baseline", havingValue = "true")
class BaselineController {
    private final BaselineDeduction deduction;

    BaselineController(DataSource dataSource, Clock clock) {
        this.deduction = new BaselineDeduction(dataSource, clock);
    }

    @PostMapping("/usage")
    ResponseEntity<UsageDecision> record(@RequestBody JsonNode body) {
        Answer<UsageDecision> answer = deduction.record(dev.creditspolicy.requests.Kinds.USAGE.parse(null, body));
        return ResponseEntity.status(200).header("Idempotent-Replayed", Boolean.toString(answer.replayed()))
                .body(answer.body());
    }

    @PostMapping("/evaluate")
    UsageDecision evaluate(@RequestBody JsonNode body) {
        return deduction.evaluate(dev.creditspolicy.requests.Kinds.EVALUATE.parse(null, body));
    }
}
