using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Protocols.ListenMoe;

/// <summary>
/// A LISTEN.moe gateway v2 mock: <c>/gateway_v2</c> (J-pop) and <c>/kpop/gateway_v2</c> (K-pop), seed 000; or, with
/// <see cref="ListenMoeOptions.Gateway"/> v1, the gateway before it at <c>/gateway</c> and <c>/kpop/gateway</c>.
/// <code>await using var mock = await ListenMoeMock.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(200));</code>
/// </summary>
public sealed class ListenMoeMock : ProtocolMock
{
    private readonly ListenMoeOptions _options;
    private SongCatalog _songs;
    private readonly Lock _songGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _trackChanges = Task.CompletedTask;

    private ListenMoeMock(ListenMoeOptions options)
    {
        _options = options;
        _songs = new SongCatalog(options.Seed, options.Songs);
    }

    public override string Protocol => "listenmoe";

    /// <summary>The options the mock was started with.</summary>
    public ListenMoeOptions Options => _options;

    /// <summary>URL of the J-pop gateway, <c>ws://127.0.0.1:port/gateway_v2</c> (<c>/gateway</c> on gateway v1).</summary>
    public string Url => Urls[Endpoints.Gateway];

    /// <summary>URL of the K-pop gateway, <c>ws://127.0.0.1:port/kpop/gateway_v2</c> (<c>/kpop/gateway</c> on gateway v1).</summary>
    public string KpopUrl => Urls[Endpoints.Kpop];

    public override IReadOnlyCollection<string> TemplateNames { get; } =
        [Templates.Welcome, Templates.TrackUpdate, Templates.CurrentTrack, Templates.TrackUpdateRequest, Templates.HeartbeatAck];

    public static async Task<ListenMoeMock> StartAsync(
        Action<ListenMoeOptions>? configure = null, MockHostOptions? host = null, Transcript? transcript = null)
    {
        var options = new ListenMoeOptions();
        configure?.Invoke(options);
        return await StartAsync(options, host, transcript).ConfigureAwait(false);
    }

    public static async Task<ListenMoeMock> StartAsync(ListenMoeOptions options, MockHostOptions? host = null, Transcript? transcript = null)
    {
        var mock = new ListenMoeMock(options);
        ConnectionHandler Handler(MockConnection _) => new ListenMoeConnectionHandler(mock, options);
        await mock.StartHostAsync(
            host,
            options.GatewayVersion == ListenMoeGateway.V1
                ? [new WebSocketEndpoint(Endpoints.Gateway, "/gateway", Handler), new WebSocketEndpoint(Endpoints.Kpop, "/kpop/gateway", Handler)]
                : [new WebSocketEndpoint(Endpoints.Gateway, "/gateway_v2", Handler), new WebSocketEndpoint(Endpoints.Kpop, "/kpop/gateway_v2", Handler)],
            transcript).ConfigureAwait(false);
        if (options.TrackChangeInterval is { } period && period > TimeSpan.Zero)
        {
            mock._trackChanges = mock.ChangeTracksAsync(period);
        }

        return mock;
    }

    /// <summary>Moves to the next song and sends the same TRACK_UPDATE to every open connection, as the gateway does on a song change.</summary>
    public Task ChangeTrackAsync() => BroadcastTemplateAsync(Templates.TrackUpdate);

    /// <summary>Starts the song catalogue again from its first song.</summary>
    public override void ResetState()
    {
        lock (_songGate)
        {
            _songs = new SongCatalog(_options.Seed, _options.Songs);
        }
    }

    public override JsonNode RenderTemplate(string name, MockConnection? connection)
    {
        lock (_songGate)
        {
            switch (name)
            {
                case Templates.Welcome:
                    return ListenMoeCodec.ToJson(ListenMoeCodec.Welcome(_options.WelcomeMessage, _options.HeartbeatInterval));
                case Templates.TrackUpdate:
                    _songs.Advance();
                    return ListenMoeCodec.ToJson(ListenMoeCodec.Track(_songs, ListenMoeCodec.TrackUpdate));
                case Templates.CurrentTrack:
                    return ListenMoeCodec.ToJson(ListenMoeCodec.Track(_songs, ListenMoeCodec.TrackUpdate));
                case Templates.TrackUpdateRequest:
                    return ListenMoeCodec.ToJson(ListenMoeCodec.Track(_songs, ListenMoeCodec.TrackUpdateRequest));
                case Templates.HeartbeatAck:
                    return ListenMoeCodec.ToJson(ListenMoeCodec.HeartbeatAck());
                default:
                    throw UnknownTemplate(name);
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await _trackChanges.ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ChangeTracksAsync(TimeSpan period)
    {
        using var timer = new PeriodicTimer(period, Transcript.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                await ChangeTrackAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the mock.
        }
        catch (Exception ex)
        {
            Host.ReportFault(ex);
        }
    }

    /// <summary>Endpoint names, as scenarios refer to them.</summary>
    public static class Endpoints
    {
        public const string Gateway = "gateway";
        public const string Kpop = "kpop";
    }

    /// <summary>Template names, as scenarios refer to them.</summary>
    public static class Templates
    {
        public const string Welcome = "welcome";

        /// <summary>Advances to the next song, then op 1 TRACK_UPDATE.</summary>
        public const string TrackUpdate = "track_update";

        /// <summary>op 1 TRACK_UPDATE for the song now playing, without advancing.</summary>
        public const string CurrentTrack = "current_track";

        public const string TrackUpdateRequest = "track_update_request";
        public const string HeartbeatAck = "heartbeat_ack";
    }
}
