using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Monitors;

/// <summary>A rule judged on a list of offending transcript entries out of a count, each described in the message.</summary>
public static class EntryFindings
{
    public static RuleFinding Of(string rule, List<TranscriptEntry> broken, int of, string what) => broken.Count == 0
        ? new RuleFinding(rule, Violated: false, $"{of} checked")
        : new RuleFinding(rule, Violated: true, $"{broken.Count} of {of} {what}: " + string.Join("; ", broken.Take(5).Select(Describe))) { Evidence = broken };

    private static string Describe(TranscriptEntry entry) => entry switch
    {
        FrameRecorded f => $"#{f.Index} at {f.At.TotalMilliseconds:0}ms '{FrameFindings.Clip(f.Display)}'",
        DatagramRecorded d => $"#{d.Index} at {d.At.TotalMilliseconds:0}ms, {d.Payload.Length} bytes{(d.Note is null ? "" : " (" + d.Note + ")")}",
        ConnectionClosed c => $"connection {c.Connection} closed by the server at {c.At.TotalMilliseconds:0}ms",
        ConnectionOpened c => $"connection {c.Connection} {c.Path}{c.Query} at {c.At.TotalMilliseconds:0}ms",
        ConnectionRefused r => $"refused upgrade {r.Path}{r.Query} ({r.Status} {r.Reason}) at {r.At.TotalMilliseconds:0}ms",
        HttpExchange h => $"{h.Method} {h.Path}{h.Query} ({h.Status}) at {h.At.TotalMilliseconds:0}ms",
        _ => $"#{entry.Index} at {entry.At.TotalMilliseconds:0}ms",
    };
}
