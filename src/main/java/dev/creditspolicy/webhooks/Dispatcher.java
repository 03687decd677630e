package dev.creditspolicy.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.creditspolicy.events.EventDao;
import dev.creditspolicy.events.StoredEvent;
import dev.creditspolicy.store.Store;

/**
 * Delivers the outbox after commit, on threads of its own: a change's transaction only writes its events, so a slow
 * or failing receiver never slows a decision. One loop fans new events out into deliveries (one per matching
 * webhook) and claims due deliveries with FOR UPDATE SKIP LOCKED (several instances on one database share the work;
 * each claim leases the delivery past the attempt's timeout, so a claimer that dies leaves it to be tried again:
 * at least once). Sending is bounded: {@code workers} threads and as many queued, at most {@code perEndpoint}
 * attempts in flight per webhook, and after a failed attempt that webhook is left alone for the first retry wait.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int FAN_OUT_BATCH = 100;

    private final Store store;
    private final Clock clock;
    private final WebhookSettings settings;
    private final Sender sender;
    private final DeliveryMetrics metrics;
    private final ThreadPoolExecutor pool;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();
    private final AtomicInteger sending = new AtomicInteger();
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread loop;

    public Dispatcher(Store store, Clock clock, WebhookSettings settings, DeliveryMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        this.sender = new Sender(settings.timeout());
        this.pool = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.workers()), r -> {
                    Thread t = new Thread(r, "webhook-sender");
                    t.setDaemon(true);
                    return t;
                });
        metrics.bindInFlight(sending);
    }

    public synchronized Dispatcher start() {
        if (!running) {
            running = true;
            loop = new Thread(this::run, "webhook-dispatcher");
            loop.setDaemon(true);
            loop.start();
        }
        return this;
    }

    /** Something may be due now (a redelivery): look without waiting for the next poll. */
    public void wake() {
        wakeUp.release();
    }

    private void run() {
        long lastGauges = 0;
        while (running) {
            try {
                int work = fanOut() + claimAndSend();
                if (System.nanoTime() - lastGauges > 2_000_000_000L) {
                    store.inTransaction(tx -> {
                        metrics.refresh(new WebhookDao(tx.handle()), clock.instant());
                        return null;
                    });
                    lastGauges = System.nanoTime();
                }
                if (work == 0) {
                    wakeUp.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("webhook dispatch failed ({}); trying again in 1 s", e.toString());
                sleepQuietly(1000);
            }
        }
    }

    /** New events become one PENDING delivery per webhook of their realm and type; answers how many events. */
    int fanOut() {
        List<StoredEvent> fanned = store.inTransaction(tx -> {
            WebhookDao dao = new WebhookDao(tx.handle());
            List<Long> seqs = dao.claimEventsToFanOut(FAN_OUT_BATCH);
            if (seqs.isEmpty()) {
                return List.<StoredEvent>of();
            }
            List<WebhookDao.WebhookRow> hooks = dao.active();
            List<StoredEvent> events = new EventDao(tx.handle()).bySeq(seqs);
            Instant now = clock.instant();
            for (StoredEvent e : events) {
                for (WebhookDao.WebhookRow w : hooks) {
                    if (w.realms().contains(e.realm()) && w.eventTypes().contains(e.type())) {
                        dao.insertDelivery(w.webhookId(), e.seq(), now);
                    }
                }
            }
            dao.markFannedOut(seqs);
            return events;
        });
        fanned.forEach(e -> metrics.raised(e.type()));
        return fanned.size();
    }

    /** Claims as many due deliveries as there is room for and hands them to the senders; answers how many. */
    int claimAndSend() {
        int room = settings.workers() * 2 - sending.get();
        if (room <= 0) {
            return 0;
        }
        Instant now = clock.instant();
        List<WebhookDao.DeliveryRow> claimed = store.inTransaction(tx -> {
            WebhookDao dao = new WebhookDao(tx.handle());
            List<WebhookDao.DeliveryRow> mine = new ArrayList<>();
            Map<String, Integer> taken = new java.util.HashMap<>();
            for (WebhookDao.DeliveryRow d : dao.claimDue(now, room * 4)) {
                Instant paused = pausedUntil.get(d.webhookId());
                int busy = inFlight.computeIfAbsent(d.webhookId(), k -> new AtomicInteger()).get()
                        + taken.getOrDefault(d.webhookId(), 0);
                if (mine.size() >= room || busy >= settings.perEndpoint() || (paused != null && paused.isAfter(now))) {
                    continue; // left unleased: this or another instance takes it later
                }
                dao.lease(d.deliveryId(), now.plus(settings.timeout()).plusSeconds(20));
                taken.merge(d.webhookId(), 1, Integer::sum);
                mine.add(d);
            }
            return mine;
        });
        for (WebhookDao.DeliveryRow d : claimed) {
            inFlight.get(d.webhookId()).incrementAndGet();
            sending.incrementAndGet();
            pool.execute(() -> {
                try {
                    attempt(d);
                } finally {
                    inFlight.get(d.webhookId()).decrementAndGet();
                    sending.decrementAndGet();
                }
            });
        }
        return claimed.size();
    }

    /** One attempt of one delivery, and what it leads to: DELIVERED, a retry at the schedule's next wait, FAILED. */
    private void attempt(WebhookDao.DeliveryRow d) {
        Instant started = clock.instant();
        Sender.Result result;
        try {
            Attempt a = store.inTransaction(tx -> {
                WebhookDao dao = new WebhookDao(tx.handle());
                var hook = dao.find(d.webhookId()).orElse(null);
                StoredEvent event = new EventDao(tx.handle()).bySeq(List.of(d.eventSeq())).get(0);
                return hook == null ? null : new Attempt(hook, event);
            });
            result = a == null ? new Sender.Result(null, "webhook deleted")
                    : sender.send(a.hook().url(), settings.box().open(a.hook().sealedSecret(), a.hook().webhookId()),
                    a.event(), clock.instant().getEpochSecond());
        } catch (RuntimeException e) {
            result = new Sender.Result(null, e.getClass().getSimpleName());
        }
        record(d, started, result);
    }

    private record Attempt(WebhookDao.WebhookRow hook, StoredEvent event) {
    }

    private void record(WebhookDao.DeliveryRow d, Instant started, Sender.Result result) {
        Instant now = clock.instant();
        int tryNo = d.tries() + 1;
        String state;
        Instant next = null;
        if (result.delivered()) {
            state = "DELIVERED";
        } else if (tryNo > settings.retries().size()) {
            state = "FAILED";
        } else {
            state = "PENDING";
            next = now.plus(settings.retries().get(tryNo - 1));
            pausedUntil.put(d.webhookId(), now.plus(settings.retries().get(0)));
        }
        String outcome = state.equals("PENDING") ? "retried" : state.toLowerCase(java.util.Locale.ROOT);
        WebhookDao.AttemptRow row = new WebhookDao.AttemptRow(d.deliveryId(), d.attempts() + 1, started,
                Duration.between(started, now).toMillis(), result.status(), result.error());
        String finalState = state;
        Instant finalNext = next;
        store.inTransaction(tx -> {
            new WebhookDao(tx.handle()).finish(row, finalState, finalNext);
            return null;
        });
        metrics.attempted(outcome);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        wake();
        if (loop != null) {
            loop.interrupt();
        }
        pool.shutdownNow();
    }
}
