using Conformance.Harness.Monitors;
using Conformance.Mocks.Protocols.Discodo;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.Discodo;

/// <summary>
/// Checks every Discodo run: the password on each upgrade (connection.rst §Websocket Headers), JSON frames with a string
/// op (§Payload Structure), IDENTIFY before any guild operation and only once per connection (§Identifying;
/// discodo/server/payloads.py NOT_IDENTIFIED, ALREADY_IDENTIFIED), and the same user_id on every IDENTIFY of the run
/// (§Resumed: a resume is the same user_id with the same shard_id).
/// </summary>
/// <remarks>
/// IDENTIFY is judged on its outcome, as the document words it ("before using"): a guild operation or Discord event
/// sent before it fails (the node answers NOT_IDENTIFIED and serves nothing). A connection that lives a whole
/// heartbeat interval after HELLO and ends without ever identifying only warns: it used nothing, so it broke nothing
/// the document names, but the node can do nothing for it either.
/// </remarks>
internal sealed class DiscodoFrameMonitor : IRuleMonitor
{

    private static readonly HashSet<string> GuildOps = new(StringComparer.Ordinal)
    {
        DiscodoCodec.Ops.DiscordEvent, DiscodoCodec.Ops.GetState, DiscodoCodec.Ops.GetQueue, DiscodoCodec.Ops.VcDestroy,
        DiscodoCodec.Ops.RequestSubtitle,
    };

    public IEnumerable<RuleFinding> Check(MonitorContext context)
    {
        var opened = context.Entries.OfType<ConnectionOpened>().ToList();
        if (opened.Count == 0)
        {
            yield break;
        }

        var password = (context.MockOptions as DiscodoOptions ?? new DiscodoOptions()).Password;
        if (!context.Scenario.Withhold.Contains(DiscodoModule.Token, StringComparer.Ordinal))
        {
            var refused = opened.Where(c => !c.Headers.TryGetValue("Authorization", out var given) || !string.Equals(given, password, StringComparison.Ordinal)).ToList();
            yield return refused.Count == 0
                ? new RuleFinding("discodo.connect.authorization", Violated: false, $"{opened.Count} upgrades carried the password")
                : new RuleFinding("discodo.connect.authorization", Violated: true,
                    $"{refused.Count} of {opened.Count} upgrades without the password in Authorization: " +
                    string.Join(", ", refused.Select(c => $"connection {c.Connection} at {c.At.TotalMilliseconds:0}ms " +
                        (c.Headers.TryGetValue("Authorization", out var h) ? $"'{h}'" : "no header"))))
                { Evidence = refused };
        }

        var frames = context.Entries.OfType<FrameRecorded>().ToList();
        var sent = frames.Where(f => f.Direction == Direction.ClientToServer).ToList();
        var notMessages = sent.Where(f => DiscodoCodec.Classify(f.Kind == FrameKind.Text ? f.Text : null) != DiscodoFrameShape.Message).ToList();
        yield return FrameFindings.Of("discodo.frame.json", notMessages, sent.Count, "not a JSON object with a string 'op'");

        var early = new List<FrameRecorded>();
        var idle = new List<(ConnectionOpened Connection, FrameRecorded Hello, TimeSpan Lived)>();
        var twice = new List<FrameRecorded>();
        foreach (var connection in opened)
        {
            var own = frames.Where(f => f.Connection == connection.Connection).ToList();
            var hello = own.FirstOrDefault(f => f.Direction == Direction.ServerToClient && DiscodoCodec.Op(f.Text) == DiscodoCodec.Ops.Hello);
            if (hello is null)
            {
                // FORBIDDEN or no greeting: nothing a client could identify on.
                continue;
            }

            var mine = own.Where(f => f.Direction == Direction.ClientToServer).ToList();
            var identifies = mine.Where(f => DiscodoCodec.Op(f.Text) == DiscodoCodec.Ops.Identify).ToList();
            var firstIdentify = identifies.FirstOrDefault();
            early.AddRange(mine.Where(f => GuildOps.Contains(DiscodoCodec.Op(f.Text) ?? "") && (firstIdentify is null || f.Index < firstIdentify.Index)));
            twice.AddRange(identifies.Skip(1));
            var interval = DiscodoCodec.Parse(hello.Text)?.HeartbeatInterval;
            var lived = context.ReadUntil(connection.Connection) - hello.At;
            if (firstIdentify is null && interval is { } period && lived >= period)
            {
                idle.Add((connection, hello, lived));
            }
        }

        if (early.Count > 0)
        {
            yield return new RuleFinding("discodo.identify.required", Violated: true,
                string.Join("; ", early.Select(f => $"#{f.Index} at {f.At.TotalMilliseconds:0}ms '{FrameFindings.Clip(f.Display)}' before IDENTIFY")))
            { Evidence = early };
        }
        else if (idle.Count > 0)
        {
            yield return new RuleFinding("discodo.identify.required", Violated: true,
                string.Join("; ", idle.Select(i => $"connection {i.Connection.Connection} never sent IDENTIFY in the {i.Lived.TotalMilliseconds:0}ms it lived after HELLO; the node serves nothing to it")))
            { Evidence = idle.Select(i => (TranscriptEntry)i.Hello).ToList(), Advisory = true };
        }
        else
        {
            yield return new RuleFinding("discodo.identify.required", Violated: false, $"{opened.Count} connections checked");
        }

        yield return FrameFindings.Of("discodo.identify.once", twice, sent.Count, "a second IDENTIFY on the same connection");

        var users = sent.Select(f => (Frame: f, Message: DiscodoCodec.Parse(f.Text)))
            .Where(p => p.Message?.Op == DiscodoCodec.Ops.Identify && p.Message.Field("user_id") is not null)
            .ToList();
        if (users.Count > 0)
        {
            var first = users[0].Message!.Field("user_id");
            var others = users.Where(p => !string.Equals(p.Message!.Field("user_id"), first, StringComparison.Ordinal)).Select(p => p.Frame).ToList();
            yield return FrameFindings.Of("discodo.resume.same-identity", others, users.Count, $"an IDENTIFY with another user_id than the first ({first})");
        }
    }
}
