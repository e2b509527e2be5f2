#!/usr/bin/env bash
# Wall time of all five built-in suites against their bundled reference clients (issue 14, item 4), three ways:
#   sequential:  each suite with --parallel 1, one suite after another;
#   parallel:    each suite with --parallel 4, one suite after another;
#   all at once: the five suites started together, each with --parallel 4 (LISTEN.moe, the longest, sets the time);
# then all at once again with the CLI published ReadyToRun, which saves most of each CLI process's JIT time.
# Every run must pass (its tally is printed); the times are wall-clock, CLI start-up and client processes included.
# Usage: bench/suites-time.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
protocols=(listenmoe plugdj discodo nightingale podcast)
dotnet build harness/Conformance.Cli -c Release -o artifacts/cli -v quiet -nologo >/dev/null
declare -A client features
for p in "${protocols[@]}"; do
  client[$p]=$(ci/reference-client.sh "$p")
  features[$p]=$(ci/reference-client.sh "$p" --features)
done
logs=$(mktemp -d)

cli=artifacts/cli
suite() { # protocol parallel-degree
  dotnet "$cli/conformance.dll" run --protocol "$1" --client "${client[$1]}" --features "${features[$1]}" \
    --parallel "$2" >"$logs/$1-$2.log" 2>&1 || { echo "$1 failed:"; tail -5 "$logs/$1-$2.log"; return 1; }
}

clock() { date +%s.%N; }

for degree in 1 4; do
  total_start=$(clock)
  for p in "${protocols[@]}"; do
    start=$(clock)
    suite "$p" "$degree"
    printf '%s --parallel %s: %.1f s, %s\n' "$p" "$degree" "$(echo "$(clock) - $start" | bc)" "$(tail -1 "$logs/$p-$degree.log")"
  done
  printf 'all five one after another, --parallel %s: %.1f s\n' "$degree" "$(echo "$(clock) - $total_start" | bc)"
done

status=0
all_at_once() { # label
  local start pids=()
  start=$(clock)
  for p in "${protocols[@]}"; do
    suite "$p" 4 & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  printf 'all five at once, --parallel 4 each, %s: %.1f s\n' "$1" "$(echo "$(clock) - $start" | bc)"
  for p in "${protocols[@]}"; do echo "  $p: $(tail -1 "$logs/$p-4.log")"; done
}

all_at_once "CLI built"
cli="${BENCH_BUILD:-/tmp/conformance-bench}/cli-r2r"
dotnet publish harness/Conformance.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$cli" -v quiet -nologo >/dev/null
all_at_once "CLI published ReadyToRun"
rm -rf "$logs"
exit $status
