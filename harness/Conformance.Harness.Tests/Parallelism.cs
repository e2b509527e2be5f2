// The e2e tests here mostly wait: on clients' heartbeat intervals, reconnect delays and scenario timeouts, not on the
// CPU. Three at a time instead of one per core (two here) cuts the assembly's time by about a quarter; the timing
// verdicts stay sound because a beat the harness itself read late on a busy machine is inconclusive and re-run, never a
// failure (HeartbeatMonitor, LoadProbe).
[assembly: LevelOfParallelism(3)]
