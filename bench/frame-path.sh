#!/usr/bin/env bash
# The mock's frame path side by side with a bare Kestrel server and a minimal Node ws server, in one run on this
# machine (issue 14): builds the three servers and the load generator (bench/load), then bench/frame_path.py loads each
# at each connection count and prints a Markdown table, then the harness's own heartbeat-timing error. Broadcasts go
# to the mock's POST /_conformance/send and to the other two servers' POST /broadcast alike: each request asks for
# BENCH_COUNT (default 10) copies of the frame, 8 requests in flight. The tables are printed and appended to
# bench/RESULTS.md under the date, the machine and the commit.
# Usage: bench/frame-path.sh [counts, default 100,1000,10000]
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_BUILD="${BENCH_BUILD:-/tmp/conformance-bench}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dotnet build harness/Conformance.Cli -c Release -o artifacts/cli -v quiet -nologo >&2
dotnet build bench/load -c Release -o "$BENCH_BUILD/load" -v quiet -nologo >&2
dotnet build bench/kestrel -c Release -o "$BENCH_BUILD/kestrel" -v quiet -nologo >&2
[ -d bench/node/node_modules ] || (cd bench/node && npm ci --no-audit --no-fund --loglevel=error >&2)
machine="$(date -u +%F), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB,"
machine="$machine kernel $(uname -r), .NET $(dotnet --version), Node $(node --version), commit $(git rev-parse --short HEAD)"
table=$(mktemp)
python3 bench/frame_path.py "${1:-100,1000,10000}" | tee "$table"
# The run is appended to bench/RESULTS.md, dated, with the machine (BENCH_APPEND=0 leaves the file alone).
if [ "${BENCH_APPEND:-1}" = 1 ]; then
  { echo; echo "### frame-path.sh run: $machine"; echo; cat "$table"; } >> bench/RESULTS.md
fi
rm -f "$table"
