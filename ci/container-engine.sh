#!/usr/bin/env bash
# Gives the container tests (harness/Conformance.Testcontainers.Tests) a Docker engine and the image they run, on a
# Debian machine (as root) that reaches package registries but no image registry:
#   1. Debian packages: containerd, runc, tini, mmdebstrap (bookworm), and dockerd 26 from trixie's docker.io,
#      unpacked into the state folder (bookworm's dockerd 20.10 speaks Docker API 1.41; Testcontainers 4 needs 1.44);
#   2. dockerd in the background, host networking only (no bridge, no iptables rules, nothing on private ranges);
#   3. images built without pulling: a minbase root file system (conformance-base:bookworm), .NET from this
#      machine on top (local/dotnet-sdk:10.0, local/dotnet-aspnet:10.0), then the repository's Dockerfile
#      (conformance:local).
# Each step prints what it does. It never fails: on any failure it says why and exits 0, so the container tests end
# Inconclusive with their own reason. Steps already done (an engine answering, an image present) are skipped, except
# the project image, which is rebuilt from the current sources.
#
# Usage: ci/container-engine.sh [start|stop]   (default: start; stop ends the dockerd this script started)
# State (root file system, unpacked packages, engine logs, dockerd.pid): $CONFORMANCE_ENGINE_STATE, default
# /var/tmp/conformance-engine. The tests find the engine at DOCKER_HOST, default unix:///var/run/docker.sock.
set -uo pipefail
cd "$(dirname "$0")/.."
state="${CONFORMANCE_ENGINE_STATE:-/var/tmp/conformance-engine}"
image="${CONFORMANCE_IMAGE:-conformance:local}"
started=$SECONDS

step() { echo "container-engine: [$((SECONDS - started))s] $*"; }
give_up() {
  echo "container-engine: $* -- no engine or image; the container tests will be Inconclusive" >&2
  exit 0
}
# Runs a command with its output in a log file; on failure shows the log's tail and gives up.
run_logged() {
  local log="$state/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 15 "$log" >&2
    give_up "'$*' failed (log: $log)"
  fi
}

if [ "${1:-start}" = stop ]; then
  pid=$(cat "$state/dockerd.pid" 2>/dev/null)
  # Only the dockerd this script started: a pid left from an earlier boot may belong to another process now.
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] && kill "$pid"; then
    step "stopping dockerd $pid"
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
  fi
  rm -f "$state/dockerd.pid"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || give_up "needs root (apt-get, dockerd)"
command -v apt-get >/dev/null || give_up "needs a Debian machine (apt-get)"
command -v dotnet >/dev/null || give_up "needs the .NET SDK on PATH (it is copied into the local images)"
mkdir -p "$state" || give_up "cannot create $state"
export PATH="$state/docker/usr/sbin:$state/docker/usr/bin:$PATH" DEBIAN_FRONTEND=noninteractive

# The engine's API version, or nothing when no engine answers.
api_version() { docker version --format '{{.Server.APIVersion}}' 2>/dev/null; }

if [ -n "$(api_version)" ] && [ "$(printf '%s\n' 1.44 "$(api_version)" | sort -V | head -n 1)" = 1.44 ]; then
  step "an engine answers with API $(api_version); using it"
else
  step "installing containerd, runc, tini and mmdebstrap (apt, bookworm)"
  run_logged apt-update apt-get update
  run_logged apt-install apt-get install -y --no-install-recommends containerd runc tini mmdebstrap

  if [ ! -x "$state/docker/usr/sbin/dockerd" ]; then
    step "fetching docker.io and docker-cli 26 from Debian trixie (apt-get download, a private package list)"
    mkdir -p "$state/trixie/lists/partial" "$state/trixie/cache/archives/partial" "$state/debs"
    printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: trixie' 'Components: main' \
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' >"$state/trixie/trixie.sources"
    trixie=(-o "Dir::Etc::SourceList=$state/trixie/trixie.sources" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$state/trixie/lists" -o "Dir::Cache=$state/trixie/cache")
    run_logged trixie-update apt-get "${trixie[@]}" update
    # apt-get download writes into the current folder; _apt cannot write there, so it warns and downloads as root.
    run_logged trixie-download bash -c "cd '$state/debs' && apt-get ${trixie[*]} download docker.io docker-cli"
    for deb in "$state"/debs/docker.io_*.deb "$state"/debs/docker-cli_*.deb; do
      run_logged unpack dpkg-deb -x "$deb" "$state/docker"
    done
  fi

  step "starting $("$state/docker/usr/sbin/dockerd" --version) (host networking only; log: $state/dockerd.log)"
  # --bridge=none and --iptables=false: containers share the host's network (--network host), so every address a
  # test uses is on loopback; dockerd starts and stops its own containerd.
  setsid dockerd --bridge=none --iptables=false --ip6tables=false --data-root /var/lib/docker \
    >"$state/dockerd.log" 2>&1 </dev/null &
  echo $! >"$state/dockerd.pid"
  for _ in $(seq 1 60); do
    [ -n "$(api_version)" ] && break
    kill -0 "$(cat "$state/dockerd.pid")" 2>/dev/null || break
    sleep 0.5
  done
  [ -n "$(api_version)" ] || { tail -n 15 "$state/dockerd.log" >&2; give_up "dockerd did not answer"; }
  step "engine up: API $(api_version), storage driver $(docker info --format '{{.Driver}}' 2>/dev/null)"
fi

if ! docker image inspect conformance-base:bookworm >/dev/null 2>&1; then
  if [ ! -f "$state/rootfs/.complete" ]; then
    step "mmdebstrap --variant=minbase bookworm (with ca-certificates, libssl3, libicu72 for .NET)"
    rm -rf "$state/rootfs"
    # mmdebstrap rather than debootstrap: the same root file system from the same packages, in about 60 s instead of
    # 110 s here (dpkg without fsync: nothing is kept if the machine stops halfway, and the folder is made anew).
    run_logged mmdebstrap mmdebstrap --variant=minbase --dpkgopt=force-unsafe-io \
      --include=ca-certificates,libssl3,libicu72 bookworm "$state/rootfs" http://deb.debian.org/debian
    touch "$state/rootfs/.complete"
  fi
  step "docker import conformance-base:bookworm"
  run_logged import-base bash -c "tar -C '$state/rootfs' --exclude=./.complete -c . | docker import - conformance-base:bookworm"
fi

dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
dotnet_dir="${dotnet_root#/}"
# The base file system, this machine's .NET, and its CA bundle (so a restore inside a build trusts what this
# machine trusts), as one layer. Arguments: the image name, then tar options (excludes).
import_dotnet() {
  local name="$1"
  shift
  # A layer may hold a path once: the base's own CA bundle gives way to this machine's.
  tar -c "$@" --anchored --exclude=./.complete --exclude=./etc/ssl/certs/ca-certificates.crt \
    -C "$state/rootfs" . -C / "$dotnet_dir" etc/ssl/certs/ca-certificates.crt |
    docker import \
      --change "ENV DOTNET_ROOT=/$dotnet_dir PATH=/$dotnet_dir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      --change "ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online}" \
      - "$name"
}
if ! docker image inspect local/dotnet-sdk:10.0 >/dev/null 2>&1; then
  step "docker import local/dotnet-sdk:10.0 (conformance-base:bookworm + /$dotnet_dir)"
  run_logged import-sdk import_dotnet local/dotnet-sdk:10.0
fi
if ! docker image inspect local/dotnet-aspnet:10.0 >/dev/null 2>&1; then
  step "docker import local/dotnet-aspnet:10.0 (the same without the SDK)"
  run_logged import-aspnet import_dotnet local/dotnet-aspnet:10.0 --exclude="$dotnet_dir/sdk" \
    --exclude="$dotnet_dir/sdk-manifests" --exclude="$dotnet_dir/packs" --exclude="$dotnet_dir/templates" \
    --exclude="$dotnet_dir/library-packs"
fi

step "docker build $image (Dockerfile, classic builder, --network host for the NuGet restore)"
run_logged build-image docker build --network host \
  --build-arg SDK_IMAGE=local/dotnet-sdk:10.0 --build-arg RUNTIME_IMAGE=local/dotnet-aspnet:10.0 -t "$image" .
# The classic builder leaves the build stage (about 1 GB) and the image this one replaced untagged; they would pile up.
docker image prune -f >/dev/null 2>&1
step "built $image: $(docker run --rm --network host "$image" --version 2>&1 | head -n 1)"
step "done"
