#!/usr/bin/env bash
# Wall time of a protocol's whole built-in suite against its bundled reference client, run sequentially and in
# parallel, three times each. Prints one line per run and the median per mode; record results in bench/RESULTS.md.
# Usage: bench/suite-time.sh [protocol] [parallel-degree]
set -euo pipefail
cd "$(dirname "$0")/.."
protocol="${1:-listenmoe}"
degree="${2:-4}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build harness/Conformance.Cli -c Release -o artifacts/cli -v quiet -nologo >/dev/null
client=$(ci/reference-client.sh "$protocol")
features=$(ci/reference-client.sh "$protocol" --features)

run() {
  local start end
  start=$(date +%s.%N)
  dotnet artifacts/cli/conformance.dll run --protocol "$protocol" \
    --client "$client" --features "$features" --parallel "$1" >/tmp/conformance-bench.log 2>&1 \
    || { echo "suite failed:"; tail -20 /tmp/conformance-bench.log; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

for mode in 1 "$degree"; do
  times=()
  for i in 1 2 3; do
    t=$(run "$mode")
    times+=("$t")
    echo "parallel=$mode run $i: ${t}s ($(tail -1 /tmp/conformance-bench.log))"
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  echo "parallel=$mode median: ${median}s"
done
