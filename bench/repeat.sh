#!/usr/bin/env bash
# Repeatability: runs the whole built-in suite (every protocol's, one after another) against the bundled reference
# clients N times at once (default 10), each run with its own copy of the verified snapshots, then prints how many
# scenario verdicts and how many snapshots differed from a clean pass (the goal is 0 and 0), and which. The machine is
# loaded on purpose: a verdict that depends on timing shows up here. Record what it prints in bench/RESULTS.md.
# Usage: bench/repeat.sh [runs] [protocol...]   (default: 10 runs of listenmoe plugdj discodo nightingale podcast)
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
shift || true
protocols=("$@")
[ ${#protocols[@]} -gt 0 ] || protocols=(listenmoe plugdj discodo nightingale podcast)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build harness/Conformance.Cli -c Release -o artifacts/cli -v quiet -nologo >/dev/null || exit 2
work=$(mktemp -d /tmp/conformance-repeat-XXXXXX)
echo "repeat: $runs runs of ${protocols[*]} at once, in $work"
start=$SECONDS

# The reference clients are built once, before the runs: their command lines, then.
declare -A client features
for p in "${protocols[@]}"; do
  client[$p]=$(ci/reference-client.sh "$p") || exit 2
  features[$p]=$(ci/reference-client.sh "$p" --features)
done

for i in $(seq 1 "$runs"); do
  (
    for p in "${protocols[@]}"; do
      dir="$work/$i/$p"
      mkdir -p "$dir"
      # A copy of the verified snapshots per run: a run that differs writes its .received.txt there, not in the tree.
      cp -r fixtures/snapshots/reference "$dir/snapshots"
      dotnet artifacts/cli/conformance.dll run --protocol "$p" --client "${client[$p]}" --features "${features[$p]}" \
        --snapshots "$dir/snapshots" --report "$dir/report" >"$dir/out.log" 2>&1
      echo $? >"$dir/exit"
    done
  ) &
done
wait

verdicts=0
snapshots=0
scenarios=0
for i in $(seq 1 "$runs"); do
  for p in "${protocols[@]}"; do
    dir="$work/$i/$p"
    if [ ! -f "$dir/report/results.json" ]; then
      echo "run $i $p: no results (exit $(cat "$dir/exit" 2>/dev/null)); see $dir/out.log"
      verdicts=$((verdicts + 1))
      continue
    fi
    # One line per scenario that did not pass: "<id> <verdict>".
    while read -r id verdict; do
      echo "run $i: $id $verdict"
      verdicts=$((verdicts + 1))
    done < <(python3 -c 'import json,sys
for r in json.load(open(sys.argv[1])):
    if r["verdict"] != "Pass": print(r["id"], r["verdict"])' "$dir/report/results.json")
    scenarios=$((scenarios + $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$dir/report/results.json")))
    while read -r received; do
      echo "run $i: snapshot differs: ${received#"$dir/snapshots/"}"
      snapshots=$((snapshots + 1))
    done < <(find "$dir/snapshots" -name '*.received.txt')
  done
done

echo "repeat: $runs runs x ${#protocols[@]} suites, $scenarios scenario runs in $((SECONDS - start)) s on $(nproc) cores"
echo "repeat: $verdicts verdicts differed from Pass, $snapshots snapshots differed"
[ "$verdicts" -eq 0 ] && [ "$snapshots" -eq 0 ]
