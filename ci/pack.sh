#!/usr/bin/env bash
# Packs the dotnet tool (conformance) and the libraries (Conformance.Mocks, Conformance.Harness, Conformance.NUnit) into a
# local folder feed, artifacts/feed unless a folder is given. The version of all of them is Directory.Build.props's.
# Usage: ci/pack.sh [feed-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
feed="$(mkdir -p "${1:-artifacts/feed}" && cd "${1:-artifacts/feed}" && pwd)"
for project in mocks/Conformance.Mocks harness/Conformance.Harness harness/Conformance.NUnit harness/Conformance.Cli; do
  dotnet pack "$project" -c Release -o "$feed" -v quiet -nologo >&2
done
ls "$feed"/*.nupkg
