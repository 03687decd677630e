#!/usr/bin/env python3
"""Writes ops/grafana/credits-policy.json, the Grafana dashboard: edit the panels here, run it, commit both.
The metrics are described in docs/operations.md ("Metrics"); api/OpsFilesApiTest checks each one exists."""
import json
import pathlib

J = 'job=~"$job"'
PANELS = [
    # (title, unit, [(expr, legend)])
    ("Requests by status", "reqps", [(f'sum by (status) (rate(http_server_requests_seconds_count{{{J}}}[5m]))', "{{status}}")]),
    ("p99 latency of /v1 calls", "s", [(f'histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket{{{J},uri=~"/v1/.*"}}[5m])))', "{{uri}}")]),
    ("Usage decisions by status and reason", "ops", [(f'sum by (status, reason) (rate(credits_decisions_total{{{J}}}[5m]))', "{{status}} {{reason}}")]),
    ("Credits granted and charged (per hour)", "short", [
        (f'max by (realm, type) (increase(credits_granted_total{{{J}}}[1h]))', "granted {{realm}} {{type}}"),
        (f'max by (realm, type) (increase(credits_charged_total{{{J}}}[1h]))', "charged {{realm}} {{type}}")]),
    ("Credits reversed, voided and expired (per hour)", "short", [
        (f'max by (realm, type) (increase(credits_reversed_total{{{J}}}[1h]))', "reversed {{realm}} {{type}}"),
        (f'max by (realm, type) (increase(credits_voided_total{{{J}}}[1h]))', "voided {{realm}} {{type}}"),
        (f'max by (realm, type) (increase(credits_expired_total{{{J}}}[1h]))', "expired {{realm}} {{type}}")]),
    ("Open holds and held credits", "short", [
        (f'max by (realm) (credits_holds_open{{{J}}})', "open holds {{realm}}"),
        (f'max by (realm) (credits_holds_held{{{J}}})', "held credits {{realm}}")]),
    ("Rules reloads and budget exceeded", "short", [
        (f'max by (outcome) (increase(credits_rules_reloads_total{{{J}}}[1h]))', "reload {{outcome}}"),
        (f'sum(increase(credits_rules_budget_exceeded_total{{{J}}}[1h]))', "budget exceeded")]),
    ("Rule evaluation time (mean)", "s", [(f'sum(rate(credits_policy_evaluation_seconds_sum{{{J}}}[5m])) / sum(rate(credits_policy_evaluation_seconds_count{{{J}}}[5m]))', "evaluation")]),
    ("Group commit: mean batch size", "short", [
        (f'sum(rate(credits_usage_batch_size_sum{{{J}}}[5m])) / sum(rate(credits_usage_batch_size_count{{{J}}}[5m]))', "usage"),
        (f'sum(rate(credits_holds_batch_size_sum{{{J}}}[5m])) / sum(rate(credits_holds_batch_size_count{{{J}}}[5m]))', "holds")]),
    ("Group commit: p99 queue wait", "s", [
        (f'histogram_quantile(0.99, sum by (le) (rate(credits_usage_batch_wait_seconds_bucket{{{J}}}[5m])))', "usage"),
        (f'histogram_quantile(0.99, sum by (le) (rate(credits_holds_batch_wait_seconds_bucket{{{J}}}[5m])))', "holds")]),
    ("Database connections", "short", [
        (f'sum(hikaricp_connections_active{{{J}}})', "active"),
        (f'sum(hikaricp_connections_pending{{{J}}})', "waiting for a connection")]),
    ("JVM heap used", "bytes", [(f'sum by (instance) (jvm_memory_used_bytes{{{J},area="heap"}})', "{{instance}}")]),
]


def panel(i, title, unit, targets):
    return {
        "id": i + 1, "type": "timeseries", "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": 12, "x": (i % 2) * 12, "y": (i // 2) * 8},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
        "targets": [{"refId": chr(65 + n), "expr": e, "legendFormat": legend}
                    for n, (e, legend) in enumerate(targets)],
    }


dashboard = {
    "title": "credits-policy", "uid": "credits-policy", "schemaVersion": 39, "version": 1,
    "tags": ["credits-policy"], "timezone": "utc", "refresh": "30s",
    "time": {"from": "now-6h", "to": "now"},
    "templating": {"list": [
        {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Prometheus"},
        {"name": "job", "type": "query", "label": "job", "datasource": {"type": "prometheus", "uid": "${datasource}"},
         "query": "label_values(credits_decisions_total, job)", "refresh": 2, "includeAll": False,
         "current": {"text": "credits-policy", "value": "credits-policy"}},
    ]},
    "panels": [panel(i, *p) for i, p in enumerate(PANELS)],
}
out = pathlib.Path(__file__).with_name("credits-policy.json")
out.write_text(json.dumps(dashboard, indent=2) + "\n")
