#!/usr/bin/env bash
# Builds (or installs) a protocol's bundled reference client and prints the command line that starts it:
# the C# client where there is one, else the Node one. Used by ci/suite.sh and bench/suite-time.sh.
# With --features it prints instead the client features that client has (fixtures/clients/<protocol>/features),
# comma-separated, for `conformance run --features`.
# Usage: ci/reference-client.sh <protocol> [--features]
set -euo pipefail
cd "$(dirname "$0")/.."
protocol="$1"
if [ "${2:-}" = "--features" ]; then
  { grep -v '^#' "fixtures/clients/$protocol/features" || true; } | tr -d '[:space:]'
  echo
  exit 0
fi
if [ -d "fixtures/clients/$protocol/csharp" ]; then
  dotnet build "fixtures/clients/$protocol/csharp" -c Release -o "artifacts/clients/$protocol-csharp" -v quiet -nologo >&2
  echo "dotnet artifacts/clients/$protocol-csharp/$protocol-client.dll"
else
  [ -f "fixtures/clients/$protocol/node/node_modules/.package-lock.json" ] \
    || (cd "fixtures/clients/$protocol/node" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "node fixtures/clients/$protocol/node/reference.js"
fi
