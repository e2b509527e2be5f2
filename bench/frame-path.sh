#!/usr/bin/env bash
# The mock's frame path side by side with a bare Kestrel server and a minimal Node ws server, in one run on this
# machine (issue 14): builds the three servers and the load generator (bench/load), then bench/frame_path.py loads each
# at each connection count and prints a Markdown table. Broadcasts to the mock go through POST /_conformance/send, one
# request per frame, 8 requests in flight, as to the other two servers' POST /broadcast.
# Usage: bench/frame-path.sh [counts, default 100,1000,10000]
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_BUILD="${BENCH_BUILD:-/tmp/conformance-bench}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dotnet build harness/Conformance.Cli -c Release -o artifacts/cli -v quiet -nologo >&2
dotnet build bench/load -c Release -o "$BENCH_BUILD/load" -v quiet -nologo >&2
dotnet build bench/kestrel -c Release -o "$BENCH_BUILD/kestrel" -v quiet -nologo >&2
[ -d bench/node/node_modules ] || (cd bench/node && npm ci --no-audit --no-fund --loglevel=error >&2)
echo "$(date -u +%F) $(nproc) cores, $(uname -r), .NET $(dotnet --version), Node $(node --version)"
python3 bench/frame_path.py "${1:-100,1000,10000}"
