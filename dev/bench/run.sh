#!/usr/bin/env bash
# Every benchmark, on demand (never part of `mvn verify`): builds the function zips and the bench module (profile
# `bench`), then runs one bench with plain `java`. Each starts what it needs (dynalite, the simulator) itself and
# writes its results under dev/bench/.
#   dev/bench/run.sh                 webhook: requests, warm handler vs bare DynamoDB, cold start, zip → results.md
#                                    (CK_BENCH_COLD_STARTS=N: launches per cold-start row, default 15)
#   dev/bench/run.sh cold-start      the webhook bench's fresh-JVM section (and the zip) alone → cold-start-results.md
#   dev/bench/run.sh worst-case      the worst bodies an anonymous caller can send → webhook-worst-case-results.md
#   dev/bench/run.sh sweep           one sweep pass against the simulator's rate limit → sweep-results.md
#   dev/bench/run.sh sweep-heap [--users 2000,20000 --runs 8 --run-size 250 --concurrency 8 --jvm "…"]
#                                    the sweep's peak heap per user count, a JVM per count → sweep-heap-results.md
#   dev/bench/run.sh ratelimit       the SnapTrade gateway's shared rate limit → ratelimit-results.md
#   dev/bench/run.sh reminders       one reminder run over 10,000 and 100,000 broken connections → reminder-results.md
#   dev/bench/run.sh lifecycle       the stream handler: events per record, PutEvents calls per batch → lifecycle-results.md
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

bench="${1:-webhook}"
case "$bench" in
  webhook) main=com.connectionkeeper.bench.Bench ;;
  cold-start) main=com.connectionkeeper.bench.Bench; only="-Dck.bench.coldStartOnly=true" ;;
  worst-case) main=com.connectionkeeper.bench.WebhookWorstCase ;;
  sweep) main=com.connectionkeeper.sweep.SweepBench ;;
  sweep-heap) main=com.connectionkeeper.sweep.SweepHeapBench ;;
  ratelimit) main=com.connectionkeeper.snaptrade.RateLimitBench ;;
  reminders) main=com.connectionkeeper.reminders.ReminderBench ;;
  lifecycle) main=com.connectionkeeper.lifecycle.LifecycleBench ;;
  *) echo "usage: dev/bench/run.sh [webhook|cold-start|worst-case|sweep|sweep-heap|ratelimit|reminders|lifecycle] [options]" >&2; exit 2 ;;
esac
shift $(( $# > 0 ? 1 : 0 ))

# -q: only errors; to stderr, so stdout carries the results alone (Maven 3.8 prints colour resets even with -B)
mvn -B -q -Pbench -pl dev/bench -am package -DskipTests >&2
exec java -Dck.root="$root" ${only:-} ${CK_BENCH_CLASS_LOGS:+-Dck.bench.classLogDir=$CK_BENCH_CLASS_LOGS} ${CK_BENCH_COLD_STARTS:+-Dck.bench.coldStarts=$CK_BENCH_COLD_STARTS} \
  -cp "dev/bench/target/ck-bench.jar:dev/bench/target/lib/*" "$main" "$@"
