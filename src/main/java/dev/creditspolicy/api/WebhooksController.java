package dev.creditspolicy.api;

import static dev.creditspolicy.service.ProblemType.UNKNOWN_WEBHOOK;
import static dev.creditspolicy.service.ProblemType.WEBHOOKS_NOT_CONFIGURED;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.creditspolicy.api.contract.AdminBodies.WebhookBody;
import dev.creditspolicy.api.contract.Answers;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.requests.Fields;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.webhooks.WebhookViews.CreatedWebhook;
import dev.creditspolicy.webhooks.WebhookViews.DeliveryView;
import dev.creditspolicy.webhooks.WebhookViews.WebhookView;
import dev.creditspolicy.webhooks.Webhooks;

/** Webhook endpoints (SPEC section 11), admin only (Security), realm-scoped (Webhooks), changes audited. */
@RestController
@RequestMapping("/v1/webhooks")
@Tag(name = "webhooks", description = "Webhook endpoints and their deliveries (admin)")
class WebhooksController {
    private final Webhooks webhooks;
    private final Audited audited;

    WebhooksController(Webhooks webhooks, Audited audited) {
        this.webhooks = webhooks;
        this.audited = audited;
    }

    @PostMapping
    @Operation(operationId = "createWebhook", summary = "Creates a webhook endpoint; its secret is answered this once")
    @Answers(status = 201, refuses = WEBHOOKS_NOT_CONFIGURED)
    ResponseEntity<CreatedWebhook> create(@RequestBody @Schema(implementation = WebhookBody.class) JsonNode body) {
        CreatedWebhook created = webhooks.create(Callers.scope(), body);
        // the audit keeps what was asked and the webhook made, never its secret
        audited.record("webhookCreate", created.id(), body.toString(), webhooks.get(Callers.scope(), created.id()));
        return ResponseEntity.created(Responses.location("/v1/webhooks/{id}", created.id())).body(created);
    }

    @GetMapping
    @Operation(operationId = "listWebhooks", summary = "The webhook endpoints of the caller's realms")
    ResponseEntity<List<WebhookView>> list(@RequestParam(required = false) String limit,
                                           @RequestParam(required = false) String after) {
        return Paged.of(webhooks.list(Callers.scope(), PageRequest.parse(limit, after)));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getWebhook", summary = "A webhook endpoint")
    @Answers(refuses = UNKNOWN_WEBHOOK)
    WebhookView get(@PathVariable String id) {
        Fields.pathId("id", id);
        return webhooks.get(Callers.scope(), id);
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Deletes a webhook endpoint")
    @Answers(refuses = UNKNOWN_WEBHOOK)
    WebhookView delete(@PathVariable String id) {
        Fields.pathId("id", id);
        WebhookView deleted = webhooks.delete(Callers.scope(), id);
        audited.record("webhookDelete", id, null, deleted);
        return deleted;
    }

    @GetMapping("/{id}/deliveries")
    @Operation(operationId = "listDeliveries", summary = "An endpoint's deliveries, with their attempts")
    @Answers(refuses = UNKNOWN_WEBHOOK)
    ResponseEntity<List<DeliveryView>> deliveries(@PathVariable String id,
                                                  @RequestParam(required = false) String limit,
                                                  @RequestParam(required = false) String after) {
        Fields.pathId("id", id);
        return Paged.of(webhooks.deliveries(Callers.scope(), id, PageRequest.parse(limit, after)));
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(operationId = "redeliver", summary = "Sends a delivery again")
    @Answers(refuses = UNKNOWN_WEBHOOK)
    DeliveryView redeliver(@PathVariable String id, @PathVariable String deliveryId) {
        Fields.pathId("id", id);
        if (!deliveryId.matches("[0-9]{1,18}")) {
            throw Problem.invalid("deliveryId", "'deliveryId' is a delivery's number");
        }
        DeliveryView view = webhooks.redeliver(Callers.scope(), id, Long.parseLong(deliveryId));
        audited.record("webhookRedeliver", id + "/" + deliveryId, null, view);
        return view;
    }
}
