#!/usr/bin/env bash
# Every benchmark, on demand (never part of `mvn verify`): builds the function zips and the bench module (profile
# `bench`), then runs one bench with plain `java`. Each starts what it needs (dynalite, the simulator) itself and
# writes its results under dev/bench/.
#   dev/bench/run.sh all             every bench below but cold-start (webhook includes it), each in its own JVM, one
#                                    after the other, then report.md: each figure next to its target (Targets.java),
#                                    met or not met, linking each results file. Logs: dev/bench/target/logs/
#   dev/bench/run.sh                 webhook: requests, warm handler vs bare DynamoDB, cold start (with and without
#                                    SnapStart priming), zip, metrics' warm cost → results.md
#                                    (CK_BENCH_COLD_STARTS=N: launches per cold-start row, default 15)
#   dev/bench/run.sh cold-start      the webhook bench's fresh-JVM section (and the zip) alone → cold-start-results.md
#   dev/bench/run.sh worst-case      the worst bodies an anonymous caller can send → webhook-worst-case-results.md
#   dev/bench/run.sh sweep           one sweep pass against the simulator's rate limit → sweep-results.md
#   dev/bench/run.sh sweep-heap [--users 2000,20000 --runs 8 --run-size 250 --concurrency 8 --jvm "…"]
#                                    the sweep's peak heap per user count, a JVM per count → sweep-heap-results.md
#   dev/bench/run.sh detection       detection time of breaks whose webhook was lost, 100,000 users over weeks of
#                                    simulated time: today's sweep, the shared budget uniform, likely-to-break first
#                                    → detection-results.md
#   dev/bench/run.sh ratelimit       the SnapTrade gateway's shared rate limit → ratelimit-results.md
#   dev/bench/run.sh budget          the deployment's one SnapTrade budget: the sweep and 3 API instances (4 JVMs),
#                                    then 3 competing sweeps, over one dynalite table at 250 per 60 s (utilisation,
#                                    429s, DynamoDB requests per SnapTrade request, interactive call times; some 9
#                                    minutes) → budget-results.md
#   dev/bench/run.sh reminders       one reminder run over 10,000 and 100,000 broken connections → reminder-results.md
#   dev/bench/run.sh lifecycle       the stream handler: events per record, PutEvents calls per batch → lifecycle-results.md
#   dev/bench/run.sh artifacts       every function zip template.yaml deploys: sizes, the webhook's targets
#                                    → artifacts-results.md
#   dev/bench/run.sh report          report.md again from the figures the benches last wrote (figures/*.properties)
# CK_BENCH_QUICK=1: a smoke test — every bench in a short version (fewer calls, launches, users, windows, batches),
# results, figures and report under dev/bench/target/quick/ instead of dev/bench/ (CK_BENCH_OUT=DIR: elsewhere).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

main_of() {
  case "$1" in
    webhook) echo com.connectionkeeper.bench.Bench ;;
    cold-start) echo com.connectionkeeper.bench.Bench ;;
    worst-case) echo com.connectionkeeper.bench.WebhookWorstCase ;;
    sweep) echo com.connectionkeeper.sweep.SweepBench ;;
    sweep-heap) echo com.connectionkeeper.sweep.SweepHeapBench ;;
    detection) echo com.connectionkeeper.sweep.DetectionBench ;;
    ratelimit) echo com.connectionkeeper.snaptrade.RateLimitBench ;;
    budget) echo com.connectionkeeper.snaptrade.BudgetBench ;;
    reminders) echo com.connectionkeeper.reminders.ReminderBench ;;
    lifecycle) echo com.connectionkeeper.lifecycle.LifecycleBench ;;
    artifacts) echo com.connectionkeeper.bench.Artifacts ;;
    report) echo com.connectionkeeper.bench.BenchReport ;;
    *) return 1 ;;
  esac
}

usage="usage: [CK_BENCH_QUICK=1] dev/bench/run.sh [all|webhook|cold-start|worst-case|sweep|sweep-heap|ratelimit|budget"
usage+="|detection|reminders|lifecycle|artifacts|report] [options]"
bench="${1:-webhook}"
if [[ "$bench" != all ]] && ! main_of "$bench" >/dev/null; then
  echo "$usage" >&2
  exit 2
fi
shift $(( $# > 0 ? 1 : 0 ))

out="${CK_BENCH_OUT:-}"
if [[ -n "${CK_BENCH_QUICK:-}" && "${CK_BENCH_QUICK}" != 0 ]]; then
  quick=true
  out="${out:-dev/bench/target/quick}"
else
  quick=false
fi

# the JVM options every bench gets: where to write, quick or not, the cold-start knobs
jvm_options=(-Dck.root="$root" -Dck.bench.quick=$quick)
[[ -n "$out" ]] && jvm_options+=(-Dck.bench.out="$out")
[[ -n "${CK_BENCH_CLASS_LOGS:-}" ]] && jvm_options+=(-Dck.bench.classLogDir="$CK_BENCH_CLASS_LOGS")
[[ -n "${CK_BENCH_COLD_STARTS:-}" ]] && jvm_options+=(-Dck.bench.coldStarts="$CK_BENCH_COLD_STARTS")
classpath="dev/bench/target/ck-bench.jar:dev/bench/target/lib/*"

# -q: only errors; to stderr, so stdout carries the results alone (Maven 3.8 prints colour resets even with -B). The
# artifacts bench reads every zip template.yaml deploys: the API's and the reminders' are not the bench's dependencies.
modules=dev/bench
case "$bench" in all|artifacts) modules=dev/bench,functions/api,functions/reminders ;; esac
[[ "$bench" == report ]] || mvn -B -q -Pbench -pl "$modules" -am package -DskipTests >&2

if [[ "$bench" != all ]]; then
  only=()
  [[ "$bench" == cold-start ]] && only=(-Dck.bench.coldStartOnly=true)
  exec java "${jvm_options[@]}" ${only[@]+"${only[@]}"} -cp "$classpath" "$(main_of "$bench")" "$@"
fi

# all: every bench in its own JVM, one after the other; a failed bench is logged and the others still run
dir="${out:-dev/bench}"
logs="$( [[ -n "$out" ]] && echo "$out/logs" || echo dev/bench/target/logs )"
mkdir -p "$dir/figures" "$logs"
rm -f "$dir"/figures/*.properties # figures of earlier runs must not stand in for a bench that fails now
: > "$dir/figures/runs.tsv"
failed=0
started=$(date +%s)
for name in artifacts webhook worst-case ratelimit budget sweep sweep-heap detection lifecycle reminders; do
  echo "[all] $name: started $(date -u +%H:%M:%S), log $logs/$name.log" >&2
  t0=$(date +%s)
  rc=0
  java "${jvm_options[@]}" -cp "$classpath" "$(main_of "$name")" > "$logs/$name.log" 2>&1 || rc=$?
  seconds=$(( $(date +%s) - t0 ))
  printf '%s\t%s\t%s\n' "$name" "$seconds" "$rc" >> "$dir/figures/runs.tsv"
  if (( rc != 0 )); then
    failed=$(( failed + 1 ))
    echo "[all] $name: FAILED (exit $rc) after ${seconds}s; last lines of its log:" >&2
    tail -n 15 "$logs/$name.log" >&2
  else
    echo "[all] $name: done in ${seconds}s" >&2
  fi
done
java "${jvm_options[@]}" -cp "$classpath" com.connectionkeeper.bench.BenchReport > "$logs/report.log" 2>&1 || {
  cat "$logs/report.log" >&2
  exit 1
}
met="$(grep -m1 -o '[0-9]* of [0-9]* targets met' "$dir/report.md")"
echo "[all] $(( $(date +%s) - started ))s in all; $met; report: $dir/report.md" >&2
exit $(( failed > 0 ? 1 : 0 ))
