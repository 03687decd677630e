package dev.creditspolicy.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;

import dev.creditspolicy.events.EventDao;
import dev.creditspolicy.events.StoredEvent;
import dev.creditspolicy.paging.Cursor;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.paging.PageRequest;
import dev.creditspolicy.policy.facts.EventType;
import dev.creditspolicy.policy.facts.Realm;
import dev.creditspolicy.service.Problem;
import dev.creditspolicy.service.Scope;
import dev.creditspolicy.store.Store;
import dev.creditspolicy.webhooks.WebhookViews.AttemptView;
import dev.creditspolicy.webhooks.WebhookViews.CreatedWebhook;
import dev.creditspolicy.webhooks.WebhookViews.DeliveryView;
import dev.creditspolicy.webhooks.WebhookViews.WebhookView;

/**
 * Managing webhook endpoints (SPEC section 11). Realm-scoped: a key creates webhooks only for realms it holds, and
 * sees (reads, deletes, redelivers) only webhooks all of whose realms it holds; any other answers as unknown.
 */
public final class Webhooks {
    private final Store store;
    private final Clock clock;
    private final WebhookSettings settings;
    private final Dispatcher dispatcher;

    public Webhooks(Store store, Clock clock, WebhookSettings settings, Dispatcher dispatcher) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.dispatcher = dispatcher;
    }

    public CreatedWebhook create(Scope caller, JsonNode body) {
        WebhookRequest req = WebhookRequest.parse(body, settings.allowedHosts());
        req.realms().forEach(caller::admitCreation);
        if (settings.box() == null) {
            throw new Problem(Problem.WEBHOOKS_NOT_CONFIGURED, "Webhooks not configured", "webhook secrets cannot "
                    + "be kept: set credits.webhooks.secret-key (the base64 of 32 random bytes)", null, null);
        }
        Instant now = clock.instant();
        // time-ordered ids: the list is newest first by id, and a cursor is an id
        String id = "wh_" + String.format("%013x", now.toEpochMilli())
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String secret = Signature.newSecret();
        List<String> types = req.eventTypes().stream().map(EventType::wire).toList();
        WebhookDao.WebhookRow row = new WebhookDao.WebhookRow(id, req.url().toString(), types, req.realms(),
                req.description(), settings.box().seal(secret, id), caller.actor(), now, null);
        store.inTransaction(tx -> {
            new WebhookDao(tx.handle()).insert(row);
            return null;
        });
        return new CreatedWebhook(id, secret, row.url(), types, req.realms().stream().map(Enum::name).toList(),
                req.description(), now);
    }

    public WebhookView get(Scope caller, String id) {
        return WebhookView.of(store.inTransaction(tx -> visible(new WebhookDao(tx.handle()), caller, id)));
    }

    /** A page of the webhooks the caller may see (all of whose realms it holds), newest first. */
    public Page<WebhookView> list(Scope caller, PageRequest page) {
        List<String> visible = new ArrayList<>();
        List<Realm> held = caller.realms().stream().sorted().toList();
        for (int mask = 1; mask < 1 << held.size(); mask++) {
            List<Realm> subset = new ArrayList<>();
            for (int i = 0; i < held.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(held.get(i));
                }
            }
            visible.add(WebhookDao.realmList(subset));
        }
        return Page.of(store.inTransaction(tx -> new WebhookDao(tx.handle()).list(visible, page)), page,
                w -> new Cursor(null, w.webhookId())).map(WebhookView::of);
    }

    public WebhookView delete(Scope caller, String id) {
        return store.inTransaction(tx -> {
            WebhookDao dao = new WebhookDao(tx.handle());
            WebhookDao.WebhookRow w = visible(dao, caller, id);
            dao.delete(id, clock.instant());
            return WebhookView.of(w);
        });
    }

    /** A page of the webhook's deliveries, newest first, each with its attempts. */
    public Page<DeliveryView> deliveries(Scope caller, String id, PageRequest page) {
        return store.inTransaction(tx -> {
            WebhookDao dao = new WebhookDao(tx.handle());
            visible(dao, caller, id);
            Page<WebhookDao.DeliveryRow> rows = Page.of(dao.deliveries(id, page), page,
                    d -> new Cursor(null, Long.toString(d.deliveryId())));
            return new Page<>(views(tx.handle(), dao, rows.items()), rows.next());
        });
    }

    public DeliveryView redeliver(Scope caller, String id, long deliveryId) {
        DeliveryView view = store.inTransaction(tx -> {
            WebhookDao dao = new WebhookDao(tx.handle());
            visible(dao, caller, id);
            WebhookDao.DeliveryRow d = dao.delivery(id, deliveryId).orElseThrow(() -> unknown("delivery", deliveryId
                    + ""));
            dao.redeliver(d.deliveryId(), clock.instant());
            return views(tx.handle(), dao, List.of(dao.delivery(id, deliveryId).orElseThrow())).get(0);
        });
        dispatcher.wake();
        return view;
    }

    private static WebhookDao.WebhookRow visible(WebhookDao dao, Scope caller, String id) {
        return dao.find(id).filter(w -> caller.realms().containsAll(w.realms()))
                .orElseThrow(() -> unknown("webhook", id));
    }

    private static Problem unknown(String what, String id) {
        return new Problem(Problem.UNKNOWN_WEBHOOK, "Unknown " + what, "no " + what + " '"
                + dev.creditspolicy.requests.Fields.shown(id) + "'", what.equals("webhook") ? "id" : "deliveryId",
                null);
    }

    private static List<DeliveryView> views(org.jdbi.v3.core.Handle h, WebhookDao dao,
                                            List<WebhookDao.DeliveryRow> rows) {
        Map<Long, List<AttemptView>> attempts = new HashMap<>();
        dao.attempts(rows.stream().map(WebhookDao.DeliveryRow::deliveryId).toList()).forEach(a -> attempts
                .computeIfAbsent(a.deliveryId(), k -> new ArrayList<>()).add(new AttemptView(a.attempt(),
                        a.startedAt(), a.durationMs(), a.responseCode(), a.error())));
        Map<Long, StoredEvent> events = new HashMap<>();
        new EventDao(h).bySeq(rows.stream().map(WebhookDao.DeliveryRow::eventSeq).toList())
                .forEach(e -> events.put(e.seq(), e));
        return rows.stream().map(d -> new DeliveryView(d.deliveryId(), events.get(d.eventSeq()).eventId(),
                events.get(d.eventSeq()).type(), d.state(), d.state().equals("PENDING") ? d.nextAttemptAt() : null,
                d.createdAt(), attempts.getOrDefault(d.deliveryId(), List.of()))).toList();
    }
}
