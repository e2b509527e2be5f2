using System.Text;
using Conformance.Harness.Protocols;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// The normalised text form of a run that snapshots compare. It keeps what a deterministic client does the same
/// every time and leaves out what depends on timing: no times, each direction of each connection listed on its own
/// (how the two interleave is a race), heartbeats shown once and marked as repeating, volatile values scrubbed.
/// </summary>
public static class SnapshotRenderer
{
    public static string Render(ScenarioResult result, IProtocolModule module)
    {
        var text = new StringBuilder();
        var entries = result.Transcript;
        text.Append("scenario: ").AppendLine(result.Scenario.Id);
        text.Append("verdict: ").AppendLine(result.Verdict.ToString());
        // Which extra rules a monitor could judge depends on timing (two beats or one); the declared rules and the
        // broken ones do not.
        text.AppendLine("rules:");
        foreach (var rule in result.Rules.Where(r => r.Verdict != Verdict.Pass || result.Scenario.Rules.Contains(r.Rule.Id)))
        {
            text.Append("  ").Append(rule.Verdict.ToString().PadRight(5)).Append(' ').AppendLine(rule.Rule.Id);
        }

        text.AppendLine("steps:");
        foreach (var step in result.Steps)
        {
            text.Append("  ").Append(step.Number).Append(' ').Append(step.Status.ToString().ToLowerInvariant()).Append(": ").AppendLine(step.Step.Describe());
        }

        // Connections, UDP peers, refusals and HTTP exchanges in the order they happened (a login before the socket opens
        // shows first); each connection's frames and each peer's datagrams are listed under it.
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case ConnectionRefused refused:
                    text.Append("refused ").Append(refused.Path).Append(' ').Append(refused.Status).Append(": ").AppendLine(refused.Reason);
                    break;
                case HttpExchange http:
                    AppendHttp(text, http);
                    break;
                case ConnectionOpened opened:
                    AppendConnection(text, opened, entries, module, result.ClientStoppingAt);
                    break;
                case UdpPeerOpened peer:
                    AppendPeer(text, peer, entries, module, result.ClientStoppingAt);
                    break;
                case ChaosSet chaos:
                    // The settings without their seed; the events are in the transcript (which message draws what can
                    // depend on timing, such as how many acks went before).
                    text.Append("chaos: ").AppendLine(chaos.Settings.IsOff ? "off" : chaos.Settings.Shape());
                    break;
                case WireFaultsSet wire:
                    // The seed is left out: a scenario without its own takes the run's, which changes.
                    text.Append("wire faults: ").AppendLine(wire.Settings.Shape());
                    break;
                case DatagramFaultsSet faults:
                    text.Append("udp faults on ").Append(faults.Endpoint).Append(": ").AppendLine(faults.Settings.ToString());
                    break;
                default:
                    break;
            }
        }

        text.AppendLine("client output:");
        foreach (var output in entries)
        {
            switch (output)
            {
                case ProcessOutput line:
                    text.Append("  ").Append(line.Stream == OutputStream.Stdout ? "out" : "err").Append(": ").AppendLine(line.Line);
                    break;
                case ProcessOutputDropped dropped:
                    text.Append("  ").Append(dropped.Stream == OutputStream.Stdout ? "out" : "err").Append(": [").Append(dropped.Describe()).AppendLine("]");
                    break;
                default:
                    break;
            }
        }

        var exit = entries.OfType<ProcessExited>().LastOrDefault();
        text.Append("client process: ").AppendLine(exit switch
        {
            null => "did not exit",
            { StoppedByHarness: true, Killed: true } => "killed by the harness after the grace period",
            { StoppedByHarness: true } => "stopped by the harness",
            _ => $"exited by itself with code {exit.ExitCode}",
        });

        return module.Scrub(Scrubber.Scrub(text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal)));
    }

    private static void AppendConnection(StringBuilder text, ConnectionOpened opened, IReadOnlyList<TranscriptEntry> entries, IProtocolModule module, TimeSpan? stoppingAt)
    {
        text.Append("connection ").Append(opened.Connection).Append(' ').Append(opened.Path).Append(opened.Query).AppendLine();
        var frames = entries.OfType<FrameRecorded>().Where(f => f.Connection == opened.Connection).ToList();

        // The mock's own frames (opening, replies) and the script's frames each keep a stable order, but how the
        // two interleave depends on when the client's requests arrive: they are listed apart.
        AppendFrames(text, "server", frames.Where(f => f.Direction == Direction.ServerToClient && f.Origin is null), module);
        AppendFrames(text, "server, scripted", frames.Where(f => f.Direction == Direction.ServerToClient && f.Origin is not null), module);
        AppendFrames(text, "client", frames.Where(f => f.Direction == Direction.ClientToServer), module);
        foreach (var fault in entries.OfType<WireFaultSent>().Where(f => f.Connection == opened.Connection))
        {
            text.Append("  fault").Append(fault.Origin is null ? "" : $" ({fault.Origin})").Append(": ").Append(fault.Fault).Append(", ").AppendLine(fault.Detail);
        }

        // A client answers pings as they come; how many it answers may vary (RFC 6455 §5.5.3), the last one it answers does not.
        var pongs = entries.OfType<ControlFrameRecorded>().Where(c => c.Connection == opened.Connection && c.IsPong).ToList();
        if (pongs.Count > 0)
        {
            text.Append("  client pongs: the last ").AppendLine(pongs[^1].Display);
        }

        var closed = entries.OfType<ConnectionClosed>().FirstOrDefault(c => c.Connection == opened.Connection);
        text.Append("  ").AppendLine(Ending(closed, stoppingAt, closed is { Code: { } code } ? $"closed by {closed.By} {code}" : $"closed by {closed?.By}"));

        // Scripted frames held for a detached session are not listed here: whether a frame was held, or sent live because
        // the client had already resumed, depends on how fast the client came back. Either way it shows on the connection
        // that received it, with its step; the transcript keeps the FrameHeld entries.
    }

    /// <summary>
    /// A UDP peer with its datagrams, split by direction and origin as a connection's frames are (how the two directions
    /// interleave is a race too); each is shown as the module decodes it, or as its size and hex.
    /// </summary>
    private static void AppendPeer(StringBuilder text, UdpPeerOpened peer, IReadOnlyList<TranscriptEntry> entries, IProtocolModule module, TimeSpan? stoppingAt)
    {
        text.Append("udp peer ").Append(peer.Channel).Append(" on ").AppendLine(peer.Endpoint);
        var datagrams = entries.OfType<DatagramRecorded>().Where(d => d.Channel == peer.Channel).ToList();
        AppendDatagrams(text, "server", datagrams.Where(d => d.Direction == Direction.ServerToClient && d.Origin is null), module);
        AppendDatagrams(text, "server, scripted", datagrams.Where(d => d.Direction == Direction.ServerToClient && d.Origin is not null), module);
        AppendDatagrams(text, "client", datagrams.Where(d => d.Direction == Direction.ClientToServer), module);
        var closed = entries.OfType<ConnectionClosed>().FirstOrDefault(c => c.Connection == peer.Channel);
        text.Append("  ").AppendLine(Ending(closed, stoppingAt, $"closed by {closed?.By}"));
    }

    /// <summary>
    /// How a connection or peer ended. Once the harness has begun stopping the client, how the connection goes (the
    /// client's close frame within its own shutdown timeout, or its process gone first on a busy machine, or the mock's
    /// teardown) is the shutdown's, not the scenario's, and is not judged: it is shown as one line.
    /// </summary>
    private static string Ending(ConnectionClosed? closed, TimeSpan? stoppingAt, string how) =>
        closed is null ? "still open"
        : stoppingAt is { } stopping && closed.At >= stopping ? "ended as the harness stopped the client"
        : how;

    private static void AppendDatagrams(StringBuilder text, string who, IEnumerable<DatagramRecorded> datagrams, IProtocolModule module)
    {
        var list = datagrams.ToList();
        if (list.Count == 0 && who.Contains(',', StringComparison.Ordinal))
        {
            return;
        }

        text.Append("  ").Append(who).AppendLine(":");
        foreach (var datagram in list)
        {
            text.Append("    ").Append(datagram.Origin is null ? "" : datagram.Origin + ": ");
            var size = datagram.Payload.Length == 1 ? "1 byte" : $"{datagram.Payload.Length} bytes";
            var fate = datagram.Fate == Mocks.Channels.DatagramFate.Delivered ? null : datagram.Fate.ToString().ToLowerInvariant();
            var described = module.DescribeDatagram(datagram);
            text.AppendLine((described is null
                ? $"{datagram.Display}  ({size}{(fate is null ? "" : ", " + fate)})"
                : described + (fate is null ? "" : $"  ({fate})")) + (datagram.Note is null ? "" : $"  [{datagram.Note}]"));
        }
    }

    private static void AppendHttp(StringBuilder text, HttpExchange http)
    {
        // A mock's own answers can carry its clock (plug.dj's init reports server time); a stub's answer is the
        // scenario's own text, so only stubbed answers are shown.
        var stubbed = http.Route?.StartsWith("stub", StringComparison.Ordinal) == true;
        text.Append("http ").Append(http.Method).Append(' ').Append(http.Path).Append(http.Query).Append(" -> ")
            .Append(http.Fault is { } fault ? Mocks.Hosting.HttpFaultNames.Of(fault) : http.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        text.AppendLine(stubbed ? $"  ({http.Route})" : "");
        if (!string.IsNullOrEmpty(http.RequestBody))
        {
            text.Append("  request: ").AppendLine(http.RequestBody);
        }

        if (stubbed && !string.IsNullOrEmpty(http.ResponseBody))
        {
            text.Append("  response: ").AppendLine(http.ResponseBody);
        }
    }

    private static void AppendFrames(StringBuilder text, string who, IEnumerable<FrameRecorded> frames, IProtocolModule module)
    {
        var list = frames.ToList();
        if (list.Count == 0 && who.Contains(',', StringComparison.Ordinal))
        {
            return;
        }

        text.Append("  ").Append(who).AppendLine(":");

        // Heartbeats come on a timer, so their count and their place among other frames vary run to run:
        // each distinct one is listed once, after the rest.
        var heartbeats = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var frame in list)
        {
            if (module.IsHeartbeat(frame))
            {
                heartbeats.Add(frame.Display);
                continue;
            }

            text.Append("    ").Append(frame.Origin is null ? "" : frame.Origin + ": ").Append(frame.Kind == FrameKind.Binary ? "binary " : "").Append(frame.Display);
            text.AppendLine((frame.Note is null ? "" : $"  ({frame.Note})") + (frame.Wire is null ? "" : $"  [wire: {frame.Wire}]"));
        }

        foreach (var heartbeat in heartbeats)
        {
            text.Append("    ").Append(heartbeat).AppendLine("  (heartbeat, repeated)");
        }
    }
}
