#!/usr/bin/env bash
# Runs a protocol's built-in conformance suite against its bundled reference client (the C# one where there is one,
# else the Node one), declaring the client features it has so no scenario is skipped: builds the CLI and the client,
# then prints the verdict table and exits with the CLI's code (0 pass, 1 fail, 2 usage).
# Usage: ci/suite.sh [protocol] [extra `conformance run` options...]
set -euo pipefail
cd "$(dirname "$0")/.."
protocol="${1:-listenmoe}"
shift || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build harness/Conformance.Cli -c Release -o artifacts/cli -v quiet -nologo
client=$(ci/reference-client.sh "$protocol")
features=$(ci/reference-client.sh "$protocol" --features)
exec dotnet artifacts/cli/conformance.dll run \
  --protocol "$protocol" \
  --client "$client" \
  --features "$features" \
  --parallel 4 \
  --snapshots fixtures/snapshots/reference \
  --junit "artifacts/$protocol-junit.xml" \
  --report "artifacts/$protocol-report" \
  "$@"
