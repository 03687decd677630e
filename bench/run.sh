#!/usr/bin/env bash
# The benchmark suite of issue 7, in one command:
#
#   bench/run.sh            # full run, about 7-8 minutes on 2 cores (build included), at most BENCH_BUDGET
#   bench/run.sh --quick    # shortened iterations and durations: checks the harness only
#   bench/run.sh --report   # only rewrites bench/results/latest.md from bench/results/latest.json
#   bench/run.sh --readme   # only copies bench/results/latest.md into bench/README.md (between the bench markers)
#   bench/run.sh --pricing  # only what pricing adds: PricedEvaluationBench (JMH, JMH_ARGS), then PricingOverhead (the
#                           # same two calls paired in one JVM: bench/results/pricing.md and pricing.json)
#
# It builds with the Maven profile `bench` into target-bench/ (its own build dir, so it can run beside other builds),
# then runs, in one JVM that starts the others:
#   1. JMH in process (run last): policy evaluation with 1, 20, 2000 lots (average time, allocation);
#      KieBase build of rules/ cold and warm; PolicyEngine.reload after an edit.
#   2. End to end: the packaged jar (java -jar target-bench/credits-policy.jar) on an H2 file database (1 and N
#      clients) and on a fresh PostgreSQL database (1, 8, 32, 64 clients; one hot account; an open-loop run at 70% of
#      the best rate; hold + commit pairs), seeded by SQL, under a Java HttpClient load generator, for the rules path
#      (/v1/usage) and the hand-written no-rules baseline (/bench/v1/usage, bench build only, N clients only); CPU
#      per request of the service, PostgreSQL and the load generator; group-commit batch sizes from
#      /actuator/prometheus when the service has them.
#   3. pgbench on the same PostgreSQL at 1, 8, 32, 64 clients: the built-in TPC-B-like transaction and
#      bench/pgbench/deduction.sql; bench/pgbench/hot-row.sql (one account) at N clients.
#   4. Scale: one deduction with 10^3, 10^5, 10^6 lots in the database and 1..2000 lots on the account; EXPLAIN.
# and writes bench/results/latest.json, bench/results/latest.md (the README's table) and bench/results/jmh-*.json.
#
# Needs: JDK 17+, Maven, and for the PostgreSQL parts psql, pgbench and a PostgreSQL on 127.0.0.1:5432 that lets
# user postgres in without a password (trust); without it those parts are skipped and the report says so.
# Settings (environment): BENCH_CLIENTS (8), BENCH_ACCOUNTS (5000), BENCH_PHASES (jmh,h2,pg,pgbench,scale),
# BENCH_DB_PREFIX (credits_bench_: the start of every PostgreSQL database name the run creates and drops; give each
# worktree sharing a server its own), BENCH_NOTE (a sentence recorded in the report, e.g. that the machine was busy), BENCH_BUDGET (seconds, 570: when
# the machine runs so far behind the idle estimate that the whole run would exceed it, the phases still to come run
# shortened, and the report says which), BENCH_TIMEOUT (seconds, 900: a hard stop).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
README_ONLY=false
PRICING_ONLY=false
PHASES="${BENCH_PHASES:-jmh,h2,pg,pgbench,scale}"
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=true ;;
    --report) PHASES=report ;;  # only rewrite latest.md from latest.json
    --readme) README_ONLY=true ;;
    --pricing) PRICING_ONLY=true ;;  # only PricedEvaluationBench: what pricing adds to the evaluation (issue 18)
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

# bench/README.md shows the last report: latest.md between <!-- bench:start --> and <!-- bench:end -->, its title left
# out and its headings one level down.
if $README_ONLY; then
  awk 'FNR == NR { if (FNR > 1) { sub(/^## /, "### "); report = report $0 "\n" } next }
       /<!-- bench:start -->/ { print; printf "%s", report; skip = 1; next }
       /<!-- bench:end -->/ { skip = 0 }
       !skip { print }' bench/results/latest.md bench/README.md > bench/README.md.new
  mv bench/README.md.new bench/README.md
  echo "[bench] bench/README.md now shows bench/results/latest.md"
  exit 0
fi

BUILD_DIR=target-bench
start=$(date +%s)
echo "[bench] building with -Pbench into $BUILD_DIR/ ..."
mvn -B -q -Pbench -Dbuild.dir="$BUILD_DIR" -Dmaven.test.skip=true package
built=$(date +%s)
echo "[bench] built in $((built - start)) s"

CP="$BUILD_DIR/classes:$(cat "$BUILD_DIR/bench.classpath")"
if $PRICING_ONLY; then
  # the evaluation with 20 lots, a call in credits beside the same call in tokens, in one JMH run (JMH_ARGS to
  # lengthen it: the default is short, for a shared machine)
  java -Xms512m -Xmx2g -cp "$CP" -Dcredits.bench.rules=rules org.openjdk.jmh.Main PricedEvaluationBench \
    -bm avgt -tu us ${JMH_ARGS:--wi 5 -w 1 -i 10 -r 1 -f 2}
  # the same two calls alternated in one JVM: the machine's drift falls on both, the ratio is read per round
  exec java -Xms512m -Xmx2g -cp "$CP" -Dcredits.bench.rules=rules -Dcredits.bench.out=bench/results \
    dev.creditspolicy.bench.PricingOverhead
fi
status=0
timeout --kill-after=30 "${BENCH_TIMEOUT:-900}" java -Xms512m -Xmx2g -cp "$CP" \
  -Dcredits.bench.jar="$BUILD_DIR/credits-policy.jar" \
  -Dcredits.bench.rules=rules \
  -Dcredits.bench.out=bench/results \
  -Dcredits.bench.work="$BUILD_DIR/bench-work" \
  -Dcredits.bench.pgbench.dir=bench/pgbench \
  -Dcredits.bench.quick="$QUICK" \
  -Dcredits.bench.clients="${BENCH_CLIENTS:-8}" \
  -Dcredits.bench.accounts="${BENCH_ACCOUNTS:-5000}" \
  -Dcredits.bench.phases="$PHASES" \
  -Dcredits.bench.note="${BENCH_NOTE:-}" \
  -Dcredits.bench.buildSeconds="$((built - start))" \
  -Dcredits.bench.budget="${BENCH_BUDGET:-570}" \
  -Dcredits.bench.dbPrefix="${BENCH_DB_PREFIX:-credits_bench_}" \
  dev.creditspolicy.bench.BenchMain || status=$?
end=$(date +%s)
echo "[bench] whole run (build included): $((end - start)) s; exit $status"
echo "[bench] report: bench/results/latest.md"
exit $status
