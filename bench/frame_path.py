#!/usr/bin/env python3
"""Measures the three servers of bench/frame-path.sh side by side in one run: a minimal Node ws server, a bare Kestrel
server and `conformance serve listenmoe`, each loaded by bench/load at each connection count. Per run: connect rate,
heartbeat round trip p50/p99 (idle, and p99 under broadcast), broadcast frames/s and latency p50/p99, server RSS when
idle (after connecting) and at its peak, and the CPU seconds of the server and of the load. Prints a Markdown table."""
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BENCH_BUILD", "/tmp/conformance-bench")


def servers():
    return {
        "node ws": ["node", os.path.join(ROOT, "bench", "node", "server.js"), "0"],
        "bare kestrel": [os.path.join(BUILD, "kestrel", "bare-kestrel"), "0"],
        "conformance serve": ["dotnet", os.path.join(ROOT, "artifacts", "cli", "conformance.dll"), "serve", "listenmoe"],
    }


def start(name, command):
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line.strip())
        if line.strip() == "ready":
            break
    gateway = next(l.split()[1] for l in lines if l.startswith("gateway "))
    base = re.match(r"ws://([^/]+)/", gateway).group(1)
    send = f"http://{base}/_conformance/send" if name == "conformance serve" else f"http://{base}/broadcast"
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    return process, gateway, send


def proc_status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # MiB
    return float("nan")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


COUNT = int(os.environ.get("BENCH_COUNT", "10"))  # copies of each broadcast frame per request


def measure(name, command, connections, idle, broadcast):
    server, gateway, send = start(name, command)
    try:
        cpu_before = cpu_seconds(server.pid)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = subprocess.Popen(
            ["dotnet", os.path.join(BUILD, "load", "frame-load.dll"), "--url", gateway, "--send-url", send,
             "--connections", str(connections), "--idle-seconds", str(idle), "--broadcast-seconds", str(broadcast),
             "--count", str(COUNT)],
            stdout=subprocess.PIPE, text=True)
        # Idle RSS: sampled in the middle of the heartbeat-only phase (all connections open, no broadcast yet).
        rss_idle = float("nan")
        started = time.monotonic()
        while load.poll() is None:
            time.sleep(0.25)
            if rss_idle != rss_idle and time.monotonic() - started > 3 + connections / 1000:
                rss_idle = proc_status(server.pid, "VmRSS")
        out = load.stdout.read()
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = json.loads(out.strip().splitlines()[-1])
        if result["broadcastRequestsFailed"] or result["errors"]:
            print(f"{name}: {result['broadcastRequestsFailed']} broadcast requests failed, {result['errors']} connections failed", file=sys.stderr)
        result.update({
            "server": name,
            "rssIdleMiB": round(rss_idle),
            "rssPeakMiB": round(proc_status(server.pid, "VmHWM")),
            "serverCpuSeconds": round(cpu_seconds(server.pid) - cpu_before, 1),
            "loadCpuSeconds": round((children_after.ru_utime - children_before.ru_utime) + (children_after.ru_stime - children_before.ru_stime), 1),
        })
        return result
    finally:
        server.terminate()
        server.wait(10)


def timing(connections, beat_ms, seconds):
    """The harness's own error on heartbeat periods: the mock alone, each connection beating every beat_ms, the second
    half of the run with one spinning thread per core in the load (a loaded machine)."""
    server, gateway, send = start("conformance serve", servers()["conformance serve"])
    try:
        out = subprocess.run(
            ["dotnet", os.path.join(BUILD, "load", "frame-load.dll"), "--url", gateway, "--send-url", send,
             "--connections", str(connections), "--idle-seconds", str(seconds), "--broadcast-seconds", "0",
             "--beat-ms", str(beat_ms), "--timing", "--loaded-from", str(seconds / 2)],
            stdout=subprocess.PIPE, text=True, check=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(10)


def main():
    counts = [int(c) for c in (sys.argv[1] if len(sys.argv) > 1 else "100,1000,10000").split(",")]
    print(f"broadcasts: {COUNT} copies of each frame per request, 8 requests in flight")
    idle, broadcast = 5, 5
    rows = []
    for connections in counts:
        only = os.environ.get("BENCH_SERVERS")  # e.g. "bare kestrel,conformance serve"
        for name, command in servers().items():
            if only and name not in only.split(","):
                continue
            rows.append(measure(name, command, connections, idle, broadcast))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print("| connections | server | connect/s | heartbeat RTT p50 / p99 (ms) | p99 under broadcast (ms) | broadcast frames/s | "
          "broadcast latency p50 / p99 (ms) | RSS idle / peak (MiB) | CPU s server / load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['connections']} | {r['server']} | {r['connectPerSecond']:.0f} | {r['heartbeatRttP50Ms']} / {r['heartbeatRttP99Ms']} | "
              f"{r['heartbeatRttUnderBroadcastP99Ms']} | {r['framesPerSecond']:,.0f} | {r['broadcastLatencyP50Ms']} / {r['broadcastLatencyP99Ms']} | "
              f"{r['rssIdleMiB']} / {r['rssPeakMiB']} | {r['serverCpuSeconds']} / {r['loadCpuSeconds']} |")
    if os.environ.get("BENCH_TIMING", "1") == "1":
        print()
        print("| connections | beat period | beats compared (quiet / loaded) | harness error p50 / p99 / max, quiet (ms) | "
              "harness error p50 / p99 / max, loaded (ms) | load's send p99 (ms) |")
        print("|---|---|---|---|---|---|")
        for connections, beat_ms in [(100, 250), (1000, 250)]:
            t = timing(connections, beat_ms, 12)
            print(json.dumps(t), file=sys.stderr, flush=True)
            print(f"| {connections} | {beat_ms} ms | {t['timingSamplesQuiet']:,} / {t['timingSamplesLoaded']:,} | "
                  f"{t['timingErrorQuietP50Ms']} / {t['timingErrorQuietP99Ms']} / {t['timingErrorQuietMaxMs']} | "
                  f"{t['timingErrorLoadedP50Ms']} / {t['timingErrorLoadedP99Ms']} / {t['timingErrorLoadedMaxMs']} | {t['beatSendP99Ms']} |")


if __name__ == "__main__":
    main()

