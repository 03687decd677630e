package dev.creditspolicy.api;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.access.AuditTrail;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.store.AuditDao.AuditRow;

/** {@code GET /v1/audit?from=&to=&actor=&limit=&after=} (admin only): who changed what, newest first. */
@RestController
@RequestMapping("/v1/audit")
@Tag(name = "audit", description = "Who changed what (admin)")
class AuditController {
    private final AuditTrail trail;
    private final JsonMapper json;

    AuditController(AuditTrail trail, JsonMapper json) {
        this.trail = trail;
        this.json = json;
    }

    record Entry(long id, Instant at, String actor, String action, String target,
                 @Schema(implementation = Object.class, description = "the request's body, as sent") JsonNode request,
                 @Schema(implementation = Object.class, description = "what it answered or changed") JsonNode result) {
    }

    @GetMapping
    @Operation(operationId = "listAudit", summary = "Who changed what, newest first")
    ResponseEntity<List<Entry>> find(@RequestParam(required = false) String from,
                                     @RequestParam(required = false) String to,
                                     @RequestParam(required = false) String actor,
                                     @RequestParam(required = false) String limit,
                                     @RequestParam(required = false) String after) {
        Instant f = from == null ? null : Fields.parseInstant("from", from);
        Instant t = to == null ? null : Fields.parseInstant("to", to);
        return Paged.of(trail.find(f, t, actor, PageRequest.parse(limit, after)).map(this::entry));
    }

    private Entry entry(AuditRow r) {
        return new Entry(r.auditId(), r.at(), r.actor(), r.action(), r.target(), tree(r.request()),
                tree(r.result()));
    }

    private JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }
}
