package dev.creditspolicy.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.creditspolicy.metrics.LedgerMetrics;

/**
 * Every metric an alert rule (ops/prometheus/alerts.yml) or a dashboard panel (ops/grafana/credits-policy.json) uses
 * exists in /actuator/prometheus of the running service, after traffic that makes each kind of event happen once.
 */
class OpsFilesApiTest extends ApiTestSupport {
    /** Metric names in PromQL: the families this service exposes; label names and functions never match. */
    static final Pattern METRIC = Pattern.compile("\\b(?:credits|http|jvm|hikaricp|process|tomcat|system)_[a-z0-9_]+");
    static final Path ALERTS = Path.of("ops/prometheus/alerts.yml");
    static final Path DASHBOARD = Path.of("ops/grafana/credits-policy.json");

    @Autowired
    LedgerMetrics ledgerMetrics;

    static Set<String> used(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(Files.readString(file));
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    @Test
    @DisplayName("the alert rules and the dashboard use only metrics the service exposes")
    void everyMetricExists() throws IOException {
        String id = personalAccountWithPlanCredits("ops");
        String pack = id + "-pack";
        grant(id, pack, "PURCHASE", "50", "2026-07-20T00:00:00+08:00").expect(201);
        String call = newId("u");
        usage(call, id, "CLI", "5", JUL_02).expect(200);
        post("/v1/usage/" + call + "/reversal", json("{'at': '" + JUL_02 + "', 'reason': 'ops test'}")).expect(200);
        post("/v1/accounts/" + id + "/lots/" + pack + "/void", json("{'at': '" + JUL_02 + "', 'reason': 'ops'}"))
                .expect(200);
        String hold = newId("h");
        post("/v1/holds", json("{'holdId': '" + hold + "', 'accountId': '" + id + "', 'product': 'CLI', "
                + "'feature': 'QUEST_AGENT', 'model': 'qwen3-coder', 'credits': 3, 'occurredAt': '" + JUL_02
                + "'}")).expect(200);
        post("/v1/holds/" + hold + "/commit", json("{'outcome': 'SUCCEEDED', 'credits': 2, 'occurredAt': '" + JUL_02
                + "'}")).expect(200);
        ledgerMetrics.refresh();
        Set<String> exposed = new TreeSet<>();
        get("/actuator/prometheus").expect(200).response().body().lines().filter(l -> !l.startsWith("#"))
                .forEach(l -> exposed.add(l.split("[{ ]", 2)[0]));

        for (Path file : new Path[] {ALERTS, DASHBOARD}) {
            Set<String> used = used(file);
            assertThat(used).as("metrics found in " + file).isNotEmpty();
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(exposed);
            assertThat(missing).as("metrics " + file + " uses that /actuator/prometheus does not expose").isEmpty();
        }
    }
}
