using Conformance.Harness.Monitors;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.PlugDj;

/// <summary>
/// Checks what every plug.dj client sends (seed 001 §Connecting and §Sending Messages): the Origin on the upgrade,
/// auth first and within the deadline with an accepted token, only auth and chat, p a string, t in integer seconds,
/// and chat the server did not have to drop for a newline or for pace.
/// </summary>
internal sealed class PlugDjFrameMonitor : IRuleMonitor
{
    // Unix seconds fit in ten digits until 2286; milliseconds already need thirteen. Any other integer, a birthday
    // included, is fine (seed §Sending Messages).
    private const double MaxSeconds = 9_999_999_999;

    public IEnumerable<RuleFinding> Check(MonitorContext context)
    {
        var options = context.MockOptions as PlugDjOptions ?? new PlugDjOptions();
        var refused = context.Entries.OfType<ConnectionRefused>().ToList();
        var opened = context.Entries.OfType<ConnectionOpened>().ToList();
        bool BadOrigin(IReadOnlyDictionary<string, string> headers) => !headers.TryGetValue("Origin", out var origin) || origin != options.Origin;
        // Judged on the upgrade's own Origin: an upgrade refused for another reason (a scenario's refuse step) with the
        // right Origin is no fault of the client's.
        var badOrigin = refused.Where(r => BadOrigin(r.Headers)).Cast<TranscriptEntry>().Concat(opened.Where(o => BadOrigin(o.Headers))).ToList();
        if (refused.Count + opened.Count > 0)
        {
            yield return Finding("plugdj.connect.origin", badOrigin, refused.Count + opened.Count, "upgrade requests without Origin: " + options.Origin);
        }

        var sent = context.Entries.OfType<FrameRecorded>().Where(f => f.Direction == Direction.ClientToServer).ToList();
        foreach (var finding in CheckAuth(context, opened, sent, options))
        {
            yield return finding;
        }

        if (sent.Count == 0)
        {
            yield break;
        }

        var parsed = sent.Select(f => (Frame: f, Request: f.Kind == FrameKind.Text ? PlugDjCodec.ParseRequest(f.Text) : null)).ToList();
        var requests = parsed.Where(p => p.Request is not null).Select(p => (p.Frame, Request: p.Request!)).ToList();
        yield return Finding("plugdj.frame.json", [.. parsed.Where(p => p.Request is null).Select(p => p.Frame)], sent.Count, "not a JSON object in a text frame");
        yield return Finding("plugdj.frame.known-actions", [.. requests.Where(p => p.Request.Action is not (PlugDjCodec.Actions.Auth or PlugDjCodec.Actions.Chat)).Select(p => p.Frame)],
            sent.Count, "an action other than auth and chat");
        yield return Finding("plugdj.frame.p-string", [.. requests.Where(p => p.Request.ParameterText is null).Select(p => p.Frame)], sent.Count, "a p that is not a string");
        // seed §Sending Messages: t is Unix seconds, yet "completely bogus values" are safe, so this rule is a SHOULD.
        yield return Finding("plugdj.frame.t-seconds", [.. requests.Where(p => !IsSeconds(p.Request.TimeNumber)).Select(p => p.Frame)], sent.Count,
            "a t that is not an integer number of seconds (milliseconds, a fraction, a string or missing)");

        // The mock decides what it drops (its chat limit is state only it holds); the rules read its decision.
        var chats = requests.Where(p => p.Request.Action == PlugDjCodec.Actions.Chat).Select(p => p.Frame).ToList();
        if (chats.Count > 0)
        {
            yield return Finding("plugdj.chat.no-newline", [.. chats.Where(c => c.Has(FrameDecisionKind.DroppedNewline))], chats.Count,
                "chat messages dropped for a newline");
            yield return Finding("plugdj.chat.pacing", [.. chats.Where(c => c.Has(FrameDecisionKind.DroppedRateLimit))], chats.Count,
                $"chat messages the server's rate limit dropped (it lets {options.ChatBurst} through at once and refills one every " +
                $"{options.ChatRefill.TotalMilliseconds:0}ms)");
        }
    }

    /// <summary>Per connection: the first frame is auth, it came within the deadline, and its token was accepted.</summary>
    private static IEnumerable<RuleFinding> CheckAuth(MonitorContext context, List<ConnectionOpened> opened, List<FrameRecorded> sent, PlugDjOptions options)
    {
        var late = new List<TranscriptEntry>();
        var notFirst = new List<TranscriptEntry>();
        var rejected = new List<TranscriptEntry>();
        var judged = 0;
        foreach (var connection in opened)
        {
            var frames = sent.Where(f => f.Connection == connection.Connection).ToList();
            var auth = frames.FirstOrDefault(f => PlugDjCodec.ParseRequest(f.Text)?.Action == PlugDjCodec.Actions.Auth);
            var end = context.ReadUntil(connection.Connection);
            if (auth is null)
            {
                if (end - connection.At >= options.AuthDeadline)
                {
                    judged++;
                    late.Add(frames.Count > 0 ? frames[0] : connection);
                }

                continue;
            }

            judged++;
            if (auth.At - connection.At > options.AuthDeadline)
            {
                late.Add(auth);
                continue;
            }

            if (frames[0] != auth)
            {
                notFirst.Add(frames[0]);
            }

            if (auth.Has(FrameDecisionKind.AuthRejected))
            {
                rejected.Add(auth);
            }
        }

        if (judged > 0)
        {
            // The server closes a connection that has not authenticated in time: that loss is the MUST. That auth
            // comes first is the seed's "should" (§"auth": "the first message you should send"), so only a warning.
            yield return Finding("plugdj.auth.prompt", late, judged, $"connections not authenticated within {options.AuthDeadline.TotalMilliseconds:0}ms of opening");
            if (notFirst.Count > 0)
            {
                yield return Finding("plugdj.auth.prompt", notFirst, judged, "connections where another frame came before auth") with { Advisory = true };
            }

            yield return Finding("plugdj.auth.token", rejected, judged, "auth frames with a token the server never issued");
        }
    }

    private static bool IsSeconds(double? t) => t is { } d && d == Math.Floor(d) && Math.Abs(d) <= MaxSeconds;

    private static RuleFinding Finding(string rule, List<TranscriptEntry> bad, int total, string what) =>
        bad.Count == 0
            ? new RuleFinding(rule, Violated: false, $"{total} checked")
            : new RuleFinding(rule, Violated: true, $"{bad.Count} of {total}: {what}: " + string.Join(", ", bad.Take(10).Select(Describe)) +
                (bad.Count > 10 ? $" and {bad.Count - 10} more" : ""))
            { Evidence = bad };

    private static string Describe(TranscriptEntry e) => e switch
    {
        FrameRecorded f => $"#{f.Index} at {f.At.TotalMilliseconds:0}ms '{(f.Display.Length > 60 ? f.Display[..57] + "..." : f.Display)}'",
        ConnectionRefused r => $"#{r.Index} at {r.At.TotalMilliseconds:0}ms refused {r.Status} ({r.Reason})",
        ConnectionOpened o => $"connection {o.Connection} at {o.At.TotalMilliseconds:0}ms",
        _ => $"#{e.Index}",
    };
}
