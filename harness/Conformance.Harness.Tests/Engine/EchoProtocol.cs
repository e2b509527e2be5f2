using System.Text.Json.Nodes;
using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Engine;

/// <summary>Options of the <see cref="EchoMock"/>.</summary>
public sealed class EchoOptions
{
    /// <summary>Whether a frame <c>{"op":"ping"}</c> is answered with <c>{"op":"pong"}</c>. Default: true.</summary>
    public bool AnswerPings { get; set; } = true;
}

/// <summary>
/// The engine's test protocol: <c>/ws</c> greets with <c>{"op":"ready","session":"s1","resumed":false}</c> and puts the
/// connection in that session; <c>/ws/resume/{session}</c> greets a known session with <c>resumed: true</c> and delivers
/// what the script held for it; <c>{"op":"ping"}</c> gets <c>{"op":"pong"}</c>.
/// </summary>
public sealed class EchoMock : ProtocolMock
{
    private readonly EchoOptions _options;
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private int _nextSession;

    private EchoMock(EchoOptions options) => _options = options;

    public override string Protocol => EchoModule.ProtocolId;

    public override IReadOnlyCollection<string> TemplateNames { get; } = ["hello"];

    public static async Task<EchoMock> StartAsync(EchoOptions options, MockHostOptions host, Transcript transcript)
    {
        var mock = new EchoMock(options);
        await mock.StartHostAsync(
            host,
            [
                new WebSocketEndpoint("ws", "/ws", _ => new Handler(mock)),
                new WebSocketEndpoint("resume", "/ws/resume/{session}", _ => new Handler(mock)),
                new UdpEndpoint("audio", _ => new Echo()),
            ],
            transcript).ConfigureAwait(false);
        return mock;
    }

    public override JsonNode RenderTemplate(string name, MockConnection? connection) =>
        name == "hello" ? new JsonObject { ["op"] = "hello", ["n"] = 1 } : throw UnknownTemplate(name);

    /// <summary>The UDP endpoint answers every datagram with the same bytes.</summary>
    private sealed class Echo : DatagramHandler
    {
        public override Task OnDatagramAsync(UdpPeer peer, DatagramRecorded datagram) => peer.SendBinaryAsync(datagram.Payload);
    }

    private sealed class Handler(EchoMock mock) : ConnectionHandler
    {
        public override async Task OnOpenedAsync(MockConnection connection)
        {
            string session;
            var resumed = connection.Endpoint == "resume";
            if (resumed)
            {
                session = connection.Path["/ws/resume/".Length..];
                lock (mock._sessions)
                {
                    if (!mock._sessions.Contains(session))
                    {
                        _ = connection.CloseAsync(4004, "unknown session");
                        return;
                    }
                }
            }
            else
            {
                session = $"s{Interlocked.Increment(ref mock._nextSession)}";
                lock (mock._sessions)
                {
                    mock._sessions.Add(session);
                }
            }

            await connection.SendTextAsync(JsonText.Write(new JsonObject { ["op"] = "ready", ["session"] = session, ["resumed"] = resumed })).ConfigureAwait(false);
            await mock.AttachSessionAsync(connection, session).ConfigureAwait(false);
        }

        public override Task OnFrameAsync(MockConnection connection, FrameRecorded frame) =>
            mock._options.AnswerPings && JsonText.TryParse(frame.Text) is JsonObject o && o["op"]?.ToString() == "ping"
                ? connection.SendTextAsync("""{"op":"pong"}""")
                : Task.CompletedTask;
    }
}

/// <summary>The echo protocol as the engine sees it; its rules are in <c>Engine/specs/echo/rules.yaml</c>.</summary>
public sealed class EchoModule : IProtocolModule
{
    public static readonly EchoModule Instance = new();

    public const string ProtocolId = "echo";

    /// <summary>The specs folder of the test protocol, copied beside the test assembly.</summary>
    public static Specs Specs { get; } = new(Path.Combine(AppContext.BaseDirectory, "Engine", "specs"), [Instance]);

    public string Id => ProtocolId;

    public ProtocolDescription Description { get; } = new(
        "the engine's echo protocol",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ws"] = "/ws, which greets with a new session",
            ["resume"] = "/ws/resume/{session}, which resumes a known session",
            ["audio"] = "a UDP endpoint that echoes every datagram",
        },
        "hello: {\"op\":\"hello\",\"n\":1}.",
        new Dictionary<string, string>(StringComparer.Ordinal));


    public IReadOnlyList<string> Endpoints { get; } = ["ws", "resume", "audio"];

    /// <summary>"even": a datagram of an even number of bytes, to show a protocol's own check in <c>expect_datagram</c>.</summary>
    public IReadOnlyList<DatagramMatcher> DatagramMatchers { get; } = [new("even", "an even number of bytes", (d, _) => d.Payload.Length % 2 == 0)];

    public IReadOnlyCollection<string> Templates { get; } = ["hello"];

    public Type OptionsType => typeof(EchoOptions);

    public IReadOnlyList<IRuleMonitor> Monitors { get; } = [];

    public IReadOnlyList<string> ClientVariables { get; } = [];

    public IReadOnlyList<ClientFeature> Features { get; } = [];

    public object CreateOptions() => new EchoOptions();

    public async Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) =>
        await EchoMock.StartAsync((EchoOptions)options, host, transcript).ConfigureAwait(false);

    public bool IsHeartbeat(FrameRecorded frame) => false;

    public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock) => new Dictionary<string, string>();
}
