package dev.creditspolicy.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchAcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.KafkaException;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.service.BatchRunner.Outcome;
import dev.creditspolicy.service.Commands.Usage;
import dev.creditspolicy.service.UsageService;
import dev.creditspolicy.service.Views.ExplainedDecision;

/**
 * The usage topic's consumer: each poll's records, in order, are decided by {@link UsageService#recordBatch} (the
 * group-commit path of {@code POST /v1/usage} and {@code /v1/usage/batch}: queued whole to its writer threads, one
 * transaction each) in transactions of at most {@code maxBatch}, their decisions
 * published, and the offsets committed only once every decision is in the database and on the decisions topic.
 *
 * <p>A malformed record is answered with its problem and copied, original bytes, to the dead-letter topic; the
 * partition moves on. When the database fails (unavailable, busy past the retries, any error that is not a refusal
 * of the event), what was decided before the failing record is published and committed, and the error handler
 * seeks back to that record and retries it after a pause, for as long as it takes: nothing is skipped, and a record
 * decided before the failure comes back as a replay of its stored decision.
 */
final class UsageListener implements BatchAcknowledgingConsumerAwareMessageListener<String, byte[]> {
    private static final Logger log = LoggerFactory.getLogger(UsageListener.class);

    private final UsageService usage;
    private final Decisions decisions;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final JsonMapper json;
    private final int maxBatch;
    private final long maxBytes;
    private final long sendTimeoutMs;
    private final MeterRegistry meters;

    UsageListener(UsageService usage, Decisions decisions, DeadLetterPublishingRecoverer deadLetters, JsonMapper json,
                  int maxBatch, long maxBytes, long sendTimeoutMs, MeterRegistry meters) {
        this.usage = usage;
        this.decisions = decisions;
        this.deadLetters = deadLetters;
        this.json = json;
        this.maxBatch = maxBatch;
        this.maxBytes = maxBytes;
        this.sendTimeoutMs = sendTimeoutMs;
        this.meters = meters;
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records, Acknowledgment ack, Consumer<?, ?> consumer) {
        List<CompletableFuture<?>> sent = new ArrayList<>(records.size());
        for (int from = 0; from < records.size(); from += maxBatch) {
            List<UsageEvent> events = records.subList(from, Math.min(records.size(), from + maxBatch)).stream()
                    .map(r -> UsageEvent.read(r, json, maxBytes)).toList();
            List<Usage> cmds = events.stream().filter(UsageEvent::wellFormed).map(UsageEvent::usage).toList();
            List<Outcome<ExplainedDecision>> outcomes = usage.recordBatch(cmds);
            int next = 0;
            for (UsageEvent event : events) {
                if (!event.wellFormed()) {
                    sent.add(decisions.publishMalformed(event));
                    deadLetters.accept(event.record(), consumer, event.malformed());
                    count("malformed");
                    continue;
                }
                Outcome<ExplainedDecision> outcome = outcomes.get(next++);
                if (outcome.failure() != null && !Decisions.answers(outcome.failure())) {
                    // what came before this record is decided: make it durable on the topic, then retry from here
                    await(sent);
                    log.warn("usage event at {}-{}@{} not decided ({}); retrying from it after a pause",
                            event.record().topic(), event.record().partition(), event.record().offset(),
                            outcome.failure().toString());
                    throw new BatchListenerFailedException("database failure", outcome.failure(), event.record());
                }
                count(outcome.failure() != null ? "refused" : outcome.answered().replayed() ? "replayed" : "decided");
                sent.add(decisions.publish(event, outcome));
            }
        }
        await(sent);
        ack.acknowledge();
    }

    private void count(String outcome) {
        meters.counter("credits.kafka.events", "outcome", outcome).increment();
    }

    /** Every send confirmed by the broker (acks=all), or the batch fails and is delivered again. */
    private void await(List<CompletableFuture<?>> sent) {
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(sendTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while publishing decisions", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("decisions not confirmed by the broker", e);
        }
    }
}
