#!/usr/bin/env bash
# Webhook benchmark, on demand (never part of `mvn verify`): builds the webhook zip and the bench (profile `bench`),
# then runs the bench with plain `java`. It starts its own dynalite, prints the results and writes dev/bench/results.md.
# `dev/bench/run.sh worst-case`: instead, the worst bodies an anonymous caller can send (issue 9, item 1) →
# dev/bench/webhook-worst-case-results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

# -q: only errors; to stderr, so stdout carries the results alone (Maven 3.8 prints colour resets even with -B)
mvn -B -q -Pbench -pl dev/bench -am package -DskipTests >&2
main=com.connectionkeeper.bench.Bench
if [[ "${1:-}" == "worst-case" ]]; then
  main=com.connectionkeeper.bench.WebhookWorstCase
fi
exec java -Dck.root="$root" -cp "dev/bench/target/ck-bench.jar:dev/bench/target/lib/*" "$main"
