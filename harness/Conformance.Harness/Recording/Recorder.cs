using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Recording;

/// <summary>What to record: a protocol's client against a server, through a <see cref="RecordingProxy"/>.</summary>
/// <param name="Module">The protocol spoken.</param>
/// <param name="Upstream">The server: a ws:// (or http://) URL whose path is the endpoint the client is pointed at.</param>
/// <param name="Id">The id of the scenario written, e.g. <c>listenmoe/recorded/session</c>.</param>
public sealed record RecordOptions(IProtocolModule Module, Uri Upstream, string Id)
{
    /// <summary>The proxy's port; 0 (the default) picks an ephemeral one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// The client to start, with the contract's variables pointing at the proxy (and <see cref="Environment"/>); null
    /// records whatever connects until <see cref="Duration"/> ends or the recording is stopped.
    /// </summary>
    public ClientSpec? Client { get; init; }

    /// <summary>More variables for the client, such as the credentials the upstream takes (CONFORMANCE_TOKEN).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long to record; the client, when there is one, is stopped then. Default: 5 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>A recorded session: every entry the proxy (and the client process) wrote, and the scenario that replays it.</summary>
public sealed record RecordedSession(IReadOnlyList<TranscriptEntry> Transcript, string Scenario);

/// <summary>Records a session through a proxy and writes the scenario that replays it (<c>conformance record</c>).</summary>
public static class Recorder
{
    /// <summary>
    /// Records until <see cref="RecordOptions.Duration"/> has passed, the client has exited, or <paramref name="stop"/> is
    /// cancelled; <paramref name="started"/> is told the proxy's address once it listens.
    /// </summary>
    public static async Task<RecordedSession> RecordAsync(RecordOptions options, Action<RecordingProxy>? started = null, CancellationToken stop = default)
    {
        var transcript = new Transcript();
        var recordedAt = DateTimeOffset.UtcNow;
        IClientUnderTest? client = null;
        TimeSpan? stoppingAt = null;
        await using (var proxy = await RecordingProxy.StartAsync(options.Upstream, transcript, options.Port, options.Module.Recording?.Udp, stop).ConfigureAwait(false))
        {
            started?.Invoke(proxy);
            using var window = CancellationTokenSource.CreateLinkedTokenSource(stop);
            window.CancelAfter(options.Duration);
            try
            {
                if (options.Client is { } spec)
                {
                    client = ClientProcess.Start(spec, Environment(options, proxy), transcript);
                    await client.Exited.WaitAsync(window.Token).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, window.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The recording's time is up, or it was stopped.
            }
            finally
            {
                if (client is not null)
                {
                    stoppingAt = transcript.Now;
                    await client.StopAsync().ConfigureAwait(false);
                }
            }
        }

        var entries = transcript.Snapshot();
        var upstream = options.Upstream.GetLeftPart(UriPartial.Authority);
        return new RecordedSession(entries, RecordedScenario.Write(entries, options.Module, options.Id, upstream, recordedAt, stoppingAt));
    }

    /// <summary>The contract's variables, pointing at the proxy: the upstream's path on the proxy, its HTTP base, the protocol.</summary>
    private static Dictionary<string, string> Environment(RecordOptions options, RecordingProxy proxy)
    {
        var environment = new Dictionary<string, string>(options.Environment, StringComparer.Ordinal)
        {
            ["CONFORMANCE_URL"] = proxy.WebSocketUrl(options.Upstream.PathAndQuery),
            ["CONFORMANCE_HTTP_URL"] = proxy.HttpUrl.ToString().TrimEnd('/'),
            ["CONFORMANCE_PROTOCOL"] = options.Module.Id,
            ["CONFORMANCE_SCENARIO"] = options.Id,
        };
        return environment;
    }
}
