package dev.creditspolicy.kafka;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;
import tools.jackson.databind.json.JsonMapper;

import dev.creditspolicy.service.UsageService;

/**
 * Kafka ingestion (SPEC section 12, docs/kafka.md), wired only when {@code credits.kafka.bootstrap-servers} is set:
 * without it no Kafka client, admin or thread exists. Plain spring-kafka rather than Boot's auto-configuration, so
 * that nothing Kafka starts in the embedded default.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "credits.kafka.bootstrap-servers")
class KafkaIngestion {
    private static final Logger log = LoggerFactory.getLogger(KafkaIngestion.class);

    @Value("${credits.kafka.bootstrap-servers}")
    private String servers;
    @Value("${credits.kafka.usage-topic:credits.usage}")
    private String usageTopic;
    @Value("${credits.kafka.decisions-topic:credits.decisions}")
    private String decisionsTopic;
    @Value("${credits.kafka.dead-letter-topic:${credits.kafka.usage-topic:credits.usage}.dlt}")
    private String deadLetterTopic;
    @Value("${credits.kafka.group-id:credits-policy}")
    private String groupId;
    @Value("${credits.kafka.partitions:4}")
    private int partitions;

    /** The three topics, created with the broker's replication factor when they do not exist (never altered). */
    @Bean
    KafkaAdmin kafkaAdmin() {
        return new KafkaAdmin(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers));
    }

    @Bean
    KafkaAdmin.NewTopics creditsTopics() {
        return new KafkaAdmin.NewTopics(TopicBuilder.name(usageTopic).partitions(partitions).build(),
                TopicBuilder.name(decisionsTopic).partitions(partitions).build(),
                TopicBuilder.name(deadLetterTopic).partitions(partitions).build());
    }

    /** Idempotent, acks=all: a send is confirmed once every in-sync replica has it. */
    @Bean(destroyMethod = "destroy")
    DefaultKafkaProducerFactory<String, byte[]> kafkaProducers() {
        return new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    KafkaTemplate<String, byte[]> kafkaTemplate(DefaultKafkaProducerFactory<String, byte[]> producers) {
        return new KafkaTemplate<>(producers);
    }

    /** Malformed records to {@code topic}, key, value and headers as they came; the partition the key's. */
    static DeadLetterPublishingRecoverer deadLetters(KafkaTemplate<String, byte[]> kafka, String topic) {
        return new DeadLetterPublishingRecoverer(kafka, (record, e) -> new TopicPartition(topic, -1));
    }

    /**
     * One container, {@code credits.kafka.concurrency} consumers (each its own partitions), batch listener with
     * manual acknowledgment: offsets are committed by {@link UsageListener} once the decisions are durable. A
     * database failure is retried every {@code credits.kafka.retry-interval-ms} without end (the consumer stays in
     * its group and fetches nothing new meanwhile).
     */
    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> usageConsumer(
            UsageService usage, KafkaTemplate<String, byte[]> kafka, JsonMapper json, MeterRegistry meters,
            @Value("${credits.kafka.concurrency:1}") int concurrency,
            @Value("${credits.kafka.max-poll-records:500}") int maxPollRecords,
            @Value("${credits.kafka.max-batch:200}") int maxBatch,
            @Value("${credits.kafka.retry-interval-ms:2000}") long retryMs,
            @Value("${credits.kafka.send-timeout-ms:30000}") long sendTimeoutMs,
            @Value("${credits.http.max-body-bytes:65536}") long maxBytes) {
        DefaultKafkaConsumerFactory<String, byte[]> consumers = new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords),
                new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties props = new ContainerProperties(usageTopic);
        props.setAckMode(AckMode.MANUAL_IMMEDIATE);
        props.setMessageListener(new UsageListener(usage, new Decisions(kafka, decisionsTopic, json),
                deadLetters(kafka, deadLetterTopic),
                json, maxBatch, maxBytes, sendTimeoutMs, meters));
        ConcurrentMessageListenerContainer<String, byte[]> container =
                new ConcurrentMessageListenerContainer<>(consumers, props);
        container.setConcurrency(concurrency);
        container.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(retryMs,
                FixedBackOff.UNLIMITED_ATTEMPTS)));
        log.info("kafka ingestion: {} -> {} (dead letters {}), group {}, {} consumer(s), at {}", usageTopic,
                decisionsTopic, deadLetterTopic, groupId, concurrency, servers);
        return container;
    }
}
