#!/usr/bin/env bash
# BenchmarkDotNet micro-benchmarks of the frame path (bench/micro): read, timestamp, record, match, monitor and
# snapshot render, each per frame. Extra arguments go to BenchmarkDotNet (default: every benchmark, the short job).
# Usage: bench/micro.sh [BenchmarkDotNet arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="${BENCH_BUILD:-/tmp/conformance-bench}/micro"
dotnet build bench/micro -c Release -o "$out" -v quiet -nologo >&2
cd "$out"
# In-process: the assembly name (conformance-micro) is not the project's, which BenchmarkDotNet's own build would need.
if [ $# -eq 0 ]; then set -- --filter '*' --job short --inProcess; fi
dotnet conformance-micro.dll "$@"
