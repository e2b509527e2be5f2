using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Protocols.Discodo;

/// <summary>
/// A Discodo node mock (seed 003 = kijk2869/discodo docs/node/connection.rst): the WebSocket at <c>/ws</c> with its
/// password, HELLO, heartbeats, IDENTIFY, managers that outlive a connection for the resume window (RESUMED), voice
/// clients created from forwarded Discord events, and the node's error payloads.
/// <code>await using var mock = await DiscodoMock.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(300));</code>
/// </summary>
public sealed class DiscodoMock : ProtocolMock
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DiscodoManager> _managers = new(StringComparer.Ordinal);
    private readonly Dictionary<int, DiscodoManager> _managerOf = [];
    private int _generations;
    private int _voiceClientIds;

    private DiscodoMock(DiscodoOptions options) => Options = options;

    public override string Protocol => "discodo";

    public DiscodoOptions Options { get; }

    /// <summary>URL of the node's WebSocket, <c>ws://127.0.0.1:port/ws</c>.</summary>
    public string Url => Urls[WebSocketEndpointName];

    /// <summary>The endpoint's name, as scenarios refer to it.</summary>
    public const string WebSocketEndpointName = "ws";

    public override IReadOnlyCollection<string> TemplateNames { get; } =
        [Templates.Hello, Templates.Forbidden, Templates.HeartbeatAck, Templates.Identified, Templates.Resumed, Templates.Status];

    public static async Task<DiscodoMock> StartAsync(Action<DiscodoOptions>? configure = null, MockHostOptions? host = null, Transcript? transcript = null)
    {
        var options = new DiscodoOptions();
        configure?.Invoke(options);
        return await StartAsync(options, host, transcript).ConfigureAwait(false);
    }

    public static async Task<DiscodoMock> StartAsync(DiscodoOptions options, MockHostOptions? host = null, Transcript? transcript = null)
    {
        _ = options.Form;
        var mock = new DiscodoMock(options);
        await mock.StartHostAsync(
            host,
            [new WebSocketEndpoint(WebSocketEndpointName, "/ws", connection => new DiscodoConnectionHandler(mock, options, connection))],
            transcript).ConfigureAwait(false);
        foreach (var route in new DiscodoRest(mock).Routes())
        {
            mock.Host.Routes.Add(route);
        }

        return mock;
    }

    /// <summary>Forgets every manager and voice client.</summary>
    public override void ResetState()
    {
        lock (_gate)
        {
            _managers.Clear();
            _managerOf.Clear();
        }
    }

    public override JsonNode RenderTemplate(string name, MockConnection? connection) => name switch
    {
        Templates.Hello => DiscodoCodec.Hello(Options.HeartbeatInterval, Options.Version),
        Templates.Forbidden => new JsonObject { ["op"] = DiscodoCodec.Ops.Forbidden, ["d"] = Options.ForbiddenMessage },
        Templates.HeartbeatAck => new JsonObject { ["op"] = DiscodoCodec.Ops.HeartbeatAck, ["d"] = null },
        Templates.Identified => Identified(),
        Templates.Resumed => Resumed(connection is null ? [] : ManagerOf(connection)?.VoiceClients ?? []),
        Templates.Status => Status(),
        _ => throw UnknownTemplate(name),
    };

    /// <summary>IDENTIFIED: d is the string "ClientManager initialized." (kijk2869/discodo discodo/server/payloads.py).</summary>
    internal static JsonObject Identified() => new() { ["op"] = DiscodoCodec.Ops.Identified, ["d"] = "ClientManager initialized." };

    /// <summary>RESUMED in the form the options ask for (connection.rst §Resumed, or discodo/server/websocket.py).</summary>
    internal JsonObject Resumed(IReadOnlyList<DiscodoVoiceClient> voiceClients)
    {
        JsonNode list = Options.Form == DiscodoResumedForm.List
            ? new JsonArray([.. voiceClients.Select(v => (JsonNode)new JsonArray(JsonText.IdNumber(v.GuildId), JsonText.IdNumber(v.ChannelId)))])
            : new JsonObject(voiceClients.Select(v => KeyValuePair.Create<string, JsonNode?>(
                v.GuildId, new JsonObject { ["id"] = v.Id, ["channel"] = JsonText.IdNumber(v.ChannelId) })));
        return new JsonObject { ["op"] = DiscodoCodec.Ops.Resumed, ["d"] = new JsonObject { ["voice_clients"] = list } };
    }

    /// <summary>STATUS with fixed figures (docs/node/resources/events.rst §STATUS), so runs stay reproducible.</summary>
    internal static JsonObject Status() => new()
    {
        ["op"] = DiscodoCodec.Ops.Status,
        ["d"] = StatusFigures(),
    };

    internal static JsonObject StatusFigures() => new()
    {
        ["UsedMemory"] = 64,
        ["TotalMemory"] = 2048,
        ["ProcessLoad"] = 1,
        ["TotalLoad"] = 5,
        ["Cores"] = 2,
        ["Threads"] = 8,
        ["NetworkInbound"] = 0,
        ["NetworkOutbound"] = 0,
    };

    internal DiscodoManager? ManagerOf(MockConnection connection)
    {
        lock (_gate)
        {
            return _managerOf.GetValueOrDefault(connection.Id);
        }
    }

    /// <summary>
    /// The manager a REST call names by User-ID and Shard-ID, bound or waiting for a resume; null once it has waited past
    /// the resume window, as the node then deletes it from ClientManagers (kijk2869/discodo discodo/server/websocket.py
    /// waitForBind), so restful.py answers 404 "ClientManager not found.".
    /// </summary>
    internal DiscodoManager? FindManager(string tag)
    {
        lock (_gate)
        {
            return _managers.TryGetValue(tag, out var manager) && WithinWindow(manager) ? manager : null;
        }
    }

    /// <summary>
    /// Binds <paramref name="connection"/> to the manager of <paramref name="tag"/>: the one left within the resume window
    /// (resumed, with the voice clients it had), or a new one. connection.rst §Resumed; websocket.py waitForBind.
    /// </summary>
    internal (DiscodoManager Manager, IReadOnlyList<DiscodoVoiceClient>? Resumed) Bind(MockConnection connection, string tag, string userId)
    {
        lock (_gate)
        {
            IReadOnlyList<DiscodoVoiceClient>? resumed = null;
            if (_managers.TryGetValue(tag, out var manager) && WithinWindow(manager))
            {
                resumed = [.. manager.VoiceClients];
            }
            else
            {
                manager = new DiscodoManager(tag, ++_generations, userId);
                _managers[tag] = manager;
            }

            manager.Bound = connection;
            _managerOf[connection.Id] = manager;
            return (manager, resumed);
        }
    }

    /// <summary>The connection ended: its manager waits for a resume from now on.</summary>
    internal void Leave(MockConnection connection)
    {
        lock (_gate)
        {
            if (_managerOf.TryGetValue(connection.Id, out var manager) && manager.Bound == connection)
            {
                manager.Bound = null;
                manager.LeftAt = connection.Ended?.At ?? Transcript.Now;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="manager"/> is bound or was left within the resume window. The window counts from when its
    /// socket ended, also when the handler that unbinds it has not run yet. Under the lock.
    /// </summary>
    private bool WithinWindow(DiscodoManager manager)
    {
        if (manager.Bound is { IsOpen: true })
        {
            return true;
        }

        var left = manager.Bound is { } ended ? ended.Ended?.At ?? Transcript.Now : manager.LeftAt;
        return Transcript.Now - left <= Options.ResumeWindow;
    }

    /// <summary>A voice client id: uuid-shaped like the node's, numbered so runs are reproducible.</summary>
    internal string NextVoiceClientId() => $"00000000-0000-4000-8000-{Interlocked.Increment(ref _voiceClientIds):D12}";

    internal Lock Gate => _gate;

    internal new Task AttachSessionAsync(MockConnection connection, string session) => base.AttachSessionAsync(connection, session);

    /// <summary>Template names, as scenarios refer to them.</summary>
    public static class Templates
    {
        public const string Hello = "hello";
        public const string Forbidden = "forbidden";

        /// <summary>HEARTBEAT_ACK with d null.</summary>
        public const string HeartbeatAck = "heartbeat_ack";

        public const string Identified = "identified";

        /// <summary>RESUMED listing the voice clients of the connection's manager, in the form the options ask for.</summary>
        public const string Resumed = "resumed";

        public const string Status = "status";
    }
}
