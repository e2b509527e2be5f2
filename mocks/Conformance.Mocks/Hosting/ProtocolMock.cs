using System.Text;
using System.Text.Json.Nodes;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// What every protocol's mock offers: its endpoints on a running <see cref="MockHost"/>, the transcript, and named
/// templates (frames the protocol knows how to build, such as a welcome or a track update) that scenarios send.
/// </summary>
public abstract partial class ProtocolMock : IAsyncDisposable
{
    private MockHost? _host;
    private int _disposed;

    /// <summary>The protocol id, e.g. <c>listenmoe</c>.</summary>
    public abstract string Protocol { get; }

    public MockHost Host => _host ?? throw new InvalidOperationException($"The {Protocol} mock has not been started.");

    public Transcript Transcript => Host.Transcript;

    /// <summary>Base URL of the mock's HTTP endpoints.</summary>
    public Uri HttpUrl => Host.HttpUrl;

    /// <summary>
    /// URL of each endpoint being served, by endpoint name, in the host's order: <c>ws://127.0.0.1:port/path</c> for a
    /// WebSocket endpoint, <c>udp://127.0.0.1:port</c> for a UDP one (including those opened while the mock runs).
    /// </summary>
    public IReadOnlyDictionary<string, string> Urls
    {
        get
        {
            var udp = Host.UdpSockets;
            var urls = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var endpoint in Host.Endpoints)
            {
                var url = endpoint switch
                {
                    WebSocketEndpoint ws => Host.WebSocketUrl(ws.Path),
                    _ => udp.FirstOrDefault(s => ReferenceEquals(s.Endpoint, endpoint))?.Url,
                };
                if (url is not null)
                {
                    urls[endpoint.Name] = url;
                }
            }

            return urls;
        }
    }

    /// <summary>The newest WebSocket connection, or null before the client connects.</summary>
    public MockConnection? LatestConnection => Host.Connections is [.., var last] ? last : null;

    /// <summary>Every WebSocket connection so far, oldest first.</summary>
    public IReadOnlyList<MockConnection> Connections => Host.Connections;

    /// <summary>Every channel so far, WebSocket connections and UDP peers alike, by id.</summary>
    public IReadOnlyList<IChannel> Channels => Host.Channels;

    /// <summary>Names of the templates <see cref="RenderTemplate"/> accepts.</summary>
    public abstract IReadOnlyCollection<string> TemplateNames { get; }

    /// <summary>
    /// Builds the frame a template names, for <paramref name="connection"/>. Rendering may move the mock's state on
    /// (a track update advances the song), as the real server would when it sends that frame.
    /// </summary>
    public abstract JsonNode RenderTemplate(string name, MockConnection? connection);

    /// <summary>
    /// Builds the payload a template names as bytes, for a datagram to <paramref name="channel"/>. Default: the JSON
    /// template as UTF-8 text; a protocol with binary packets (audio) overrides it.
    /// </summary>
    public virtual byte[] RenderPayload(string name, Channels.IChannel? channel) =>
        System.Text.Encoding.UTF8.GetBytes(JsonText.Write(RenderTemplate(name, channel as MockConnection)));

    /// <summary>Puts the protocol's state (songs, sessions, ...) back as it was when the mock started.</summary>
    public virtual void ResetState()
    {
    }

    /// <summary>Renders a template, merges <paramref name="with"/> into it and sends it.</summary>
    public Task<bool> SendTemplateAsync(MockConnection connection, string name, JsonNode? with = null, string? origin = null)
    {
        return connection.SendTextAsync(JsonText.Write(Render(name, connection, with)), origin);
    }

    /// <summary>
    /// Sends <paramref name="text"/> to every open connection (of <paramref name="endpoint"/>, when given) whose opening
    /// is done: a broadcast never overtakes a welcome. The text is encoded once and sent to all connections at once, so
    /// a client that stops reading holds up only its own send (until <see cref="MockHostOptions.SendTimeout"/> cuts it),
    /// never the others'. Returns how many connections it reached.
    /// </summary>
    public async Task<int> BroadcastAsync(string text, string? endpoint = null, string? origin = null)
    {
        var targets = ReadyConnections(endpoint).ToList();
        if (targets.Count == 0)
        {
            return 0;
        }

        return await Fanout.SendAsync(targets, text, Encoding.UTF8.GetBytes(text), count: 1, origin).ConfigureAwait(false);
    }

    /// <summary>Renders a template once (moving the mock's state on once) and broadcasts that same frame.</summary>
    public Task<int> BroadcastTemplateAsync(string name, JsonNode? with = null, string? endpoint = null) =>
        BroadcastAsync(JsonText.Write(Render(name, null, with)), endpoint);

    /// <summary>
    /// Renders several templates as one frame: protocols whose frames are JSON arrays of events (plug.dj) batch them
    /// by concatenating the arrays. <paramref name="with"/> merges into every event.
    /// </summary>
    public Task<bool> SendTemplatesAsync(MockConnection connection, IReadOnlyList<string> names, JsonNode? with = null, string? origin = null) =>
        connection.SendTextAsync(JsonText.Write(RenderBatch(names, connection, with)), origin);

    /// <summary>Several templates as one JSON array of events, <paramref name="with"/> merged into each.</summary>
    public JsonArray RenderBatch(IReadOnlyList<string> names, MockConnection? connection, JsonNode? with)
    {
        var batch = new JsonArray();
        foreach (var name in names)
        {
            if (Render(name, connection, with) is not JsonArray events)
            {
                throw new ArgumentException($"Template '{name}' of {Protocol} is not a JSON array, so it cannot be batched.", nameof(names));
            }

            foreach (var item in events.ToList())
            {
                events.Remove(item);
                batch.Add(item);
            }
        }

        return batch;
    }

    /// <summary>
    /// A template with <paramref name="with"/> merged in: into the frame, or into each element when the frame is a
    /// JSON array (a batch of events).
    /// </summary>
    public JsonNode Render(string name, MockConnection? connection, JsonNode? with)
    {
        var frame = RenderTemplate(name, connection);
        if (with is null)
        {
            return frame;
        }

        if (frame is JsonArray items)
        {
            foreach (var item in items)
            {
                JsonText.Merge(item, with);
            }

            return items;
        }

        return JsonText.Merge(frame, with)!;
    }

    /// <summary>Stops the host and releases the port; rethrows, once, any exception a handler raised.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        if (_host is null || Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _host.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
        _host.ThrowIfFaulted();
    }

    /// <summary>Open connections (of <paramref name="endpoint"/>, when given) whose opening is done: where a broadcast goes.</summary>
    internal IEnumerable<MockConnection> ReadyConnections(string? endpoint) =>
        Connections.Where(c => c.IsOpen && c.Opened.IsCompleted && (endpoint is null || c.Endpoint == endpoint));

    /// <summary>Starts the host with the protocol's WebSocket and UDP endpoints and installs the control API.</summary>
    protected async Task StartHostAsync(MockHostOptions? options, IReadOnlyList<MockEndpoint> endpoints, Transcript? transcript)
    {
        _host = await MockHost.StartAsync(options ?? new MockHostOptions(), endpoints, transcript ?? new Transcript())
            .ConfigureAwait(false);
        _host.ControlApi = new ControlApi(this).HandleAsync;
    }

    /// <summary>Unknown template names carry the name and the list of known ones.</summary>
    protected ArgumentException UnknownTemplate(string name) =>
        new($"Unknown {Protocol} template '{name}'. Known: {string.Join(", ", TemplateNames)}.", nameof(name));
}
