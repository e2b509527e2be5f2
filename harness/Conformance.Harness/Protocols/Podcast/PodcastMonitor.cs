using Conformance.Harness.Monitors;
using Conformance.Mocks.Protocols.Podcast;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.Podcast;

/// <summary>
/// Checks every discord-podcasts run on what went over both transports: credentials on every request, Hello before the
/// client's first frame, Connected sent, and what the mock made of the client's datagrams (its decisions: from the
/// announced address, after ClientJoin, sealed nonce first, not after End), and sockets closed on End. Sources in
/// specs/podcast/rules.yaml.
/// </summary>
internal sealed class PodcastMonitor : IRuleMonitor
{
    /// <summary>How long a client may take between Hello and Connected before its silence is worth a warning.</summary>
    public static readonly TimeSpan ConnectedAllowance = TimeSpan.FromSeconds(2);

    public IEnumerable<RuleFinding> Check(MonitorContext context)
    {
        var options = context.MockOptions as PodcastOptions ?? new PodcastOptions();
        var opened = context.Entries.OfType<ConnectionOpened>().ToList();
        var refused = context.Entries.OfType<ConnectionRefused>().ToList();
        var rest = context.Entries.OfType<HttpExchange>().ToList();
        if (opened.Count == 0 && refused.Count == 0 && rest.Count == 0)
        {
            yield break;
        }

        var withheld = context.Scenario.Withhold;
        if (!withheld.Contains(PodcastModule.ClientId, StringComparer.Ordinal) && !withheld.Contains(PodcastModule.ClientSecret, StringComparer.Ordinal))
        {
            var requests = opened.Select(o => ((TranscriptEntry)o, o.Headers)).Concat(refused.Select(r => ((TranscriptEntry)r, r.Headers)))
                .Concat(rest.Select(h => ((TranscriptEntry)h, h.RequestHeaders))).OrderBy(r => r.Item1.Index).ToList();
            var bad = requests.Where(r => !r.Item2.TryGetValue("client_id", out var id) || id != options.ClientId ||
                !r.Item2.TryGetValue("client_secret", out var secret) || secret != options.ClientSecret).Select(r => r.Item1).ToList();
            yield return EntryFindings.Of("podcast.auth.credentials", bad, requests.Count, "requests without the client's client_id and client_secret headers");
        }

        var unauthorized = refused.Where(r => r.Status == 401).Cast<TranscriptEntry>().Concat(rest.Where(h => h.Status == 401)).ToList();
        if (unauthorized.Count > 0)
        {
            yield return EntryFindings.Of("podcast.auth.refused", AttemptStorm.Refusals.Find(unauthorized), unauthorized.Count, $"401s came more than {AttemptStorm.Refusals.Limit} in a second");
        }

        var frames = context.Entries.OfType<FrameRecorded>().ToList();
        var early = new List<TranscriptEntry>();
        var silent = new List<TranscriptEntry>();
        var cut = new List<TranscriptEntry>();
        var lingering = new List<TranscriptEntry>();
        var greeted = 0;
        var ended = 0;
        foreach (var connection in opened)
        {
            var own = frames.Where(f => f.Connection == connection.Connection).ToList();
            var hello = own.FirstOrDefault(f => f.Direction == Direction.ServerToClient && PodcastCodec.Parse(f.Text)?.Code == PodcastCodec.Hello);
            var mine = own.Where(f => f.Direction == Direction.ClientToServer).ToList();
            var closed = context.Entries.OfType<ConnectionClosed>().FirstOrDefault(c => c.Connection == connection.Connection);
            early.AddRange(mine.Where(f => hello is null || f.Index < hello.Index));
            if (hello is not null)
            {
                greeted++;
                var lived = context.ReadUntil(connection.Connection) - hello.At;
                if (!mine.Any(f => PodcastCodec.Parse(f.Text)?.Code == PodcastCodec.Connected))
                {
                    // The documents give no time for it: a host the server cut at its deadline fails; otherwise a
                    // client silent this long only warns (it may still be discovering its address).
                    if (closed is { By: CloseInitiator.Server, Reason: { } reason } && reason.StartsWith(PodcastMock.DeadlineReason, StringComparison.Ordinal))
                    {
                        cut.Add(closed);
                    }
                    else if (lived >= ConnectedAllowance)
                    {
                        silent.Add(hello);
                    }
                }
            }

            // End, then the server had to close the socket itself.
            var end = own.FirstOrDefault(f => f.Direction == Direction.ServerToClient && PodcastCodec.Parse(f.Text)?.Code == PodcastCodec.End);
            if (end is not null)
            {
                ended++;
                if (closed is { By: CloseInitiator.Server })
                {
                    lingering.Add(closed);
                }
            }
        }

        if (greeted > 0 || early.Count > 0)
        {
            yield return EntryFindings.Of("podcast.hello.first", early, Math.Max(greeted, 1), "frames the client sent before Hello");
            yield return cut.Count > 0
                ? EntryFindings.Of("podcast.connected.send", cut, greeted, "hosts the server cut at the deadline for sending no Connected")
                : EntryFindings.Of("podcast.connected.send", silent, greeted, $"connections that sent no Connected within {ConnectedAllowance.TotalSeconds:0} s of Hello") with
                {
                    Advisory = silent.Count > 0,
                };
        }

        var datagrams = context.Entries.OfType<DatagramRecorded>().Where(d => d.Direction == Direction.ClientToServer).ToList();
        var afterEnd = datagrams.Where(d => d.Has(DatagramDecisionKind.AfterEnd)).Cast<TranscriptEntry>();
        if (ended > 0)
        {
            yield return EntryFindings.Of("podcast.end.teardown", [.. lingering.Concat(afterEnd)], ended, "Ends the client did not act on: the server closed its socket, or audio came after End");
        }

        if (datagrams.Count > 0)
        {
            // A datagram from an address nobody had announced yet, but a Connected announced later, came before its
            // sender's Connected was even taken: too early, not from the wrong port.
            var announced = frames.Where(f => f.Direction == Direction.ClientToServer && PodcastCodec.Parse(f.Text) is { Code: PodcastCodec.Connected } c)
                .Select(f => PodcastCodec.Address(PodcastCodec.Parse(f.Text)!.Data)).OfType<(string Ip, int Port)>().Select(a => $"{a.Ip}:{a.Port}").ToHashSet();
            var remotes = context.Entries.OfType<UdpPeerOpened>().ToDictionary(p => p.Channel, p => p.Remote);
            var unknown = datagrams.Where(d => d.Has(DatagramDecisionKind.UnknownSource)).ToList();
            var overtook = unknown.Where(d => remotes.TryGetValue(d.Channel, out var remote) && announced.Contains(remote)).ToList();
            yield return EntryFindings.Of("podcast.connected.address", [.. unknown.Except(overtook)], datagrams.Count, "datagrams from an address no Connected announced");
            yield return EntryFindings.Of("podcast.audio.after-join", [.. datagrams.Where(d => d.Has(DatagramDecisionKind.TooEarly)).Concat(overtook)], datagrams.Count,
                "datagrams before the sender's ClientJoin");
            yield return Decided("podcast.audio.sealed", datagrams, "audio packets that are not sealed nonce first with Hello's secret",
                DatagramDecisionKind.DoesNotOpen, DatagramDecisionKind.TooShort);
        }
    }

    private static RuleFinding Decided(string rule, List<DatagramRecorded> datagrams, string what, params DatagramDecisionKind[] kinds) =>
        EntryFindings.Of(rule, [.. datagrams.Where(d => kinds.Any(d.Has))], datagrams.Count, what);
}
