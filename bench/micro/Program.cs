// The frame path, stage by stage, as BenchmarkDotNet measures it: what one client frame costs the harness from the
// bytes on the wire to the snapshot. Each benchmark works on a heartbeat conversation of 1,000 beats (op 9 every
// 250 ms, each answered by op 10), so the figures per operation are per frame.
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Conformance.Harness;
using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;
using Conformance.Harness.Snapshots;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

BenchmarkSwitcher.FromAssembly(typeof(FramePath).Assembly).Run(args);

/// <summary>The stages of the frame path; OperationsPerInvoke makes each figure a per-frame cost.</summary>
[MemoryDiagnoser]
public class FramePath
{
    private const int Frames = 1000;
    private const string Beat = """{"op":9}""";
    private byte[] _wire = [];
    private byte[] _buffer = new byte[16 * 1024];
    private Transcript _transcript = new();
    private FrameRecorded _beat = null!;
    private FrameMatcher _matcher = null!;
    private IRuleMonitor _monitor = null!;
    private MonitorContext _context = null!;
    private ScenarioResult _result = null!;
    private IProtocolModule _module = null!;

    [GlobalSetup]
    public void Setup()
    {
        _wire = MaskedClientFrames(Beat, Frames);
        _beat = new Transcript().Append(new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, Beat, null));
        _matcher = new FrameMatcher(new FrameMatch(JsonNode.Parse(Beat), null, null, false), new Dictionary<string, JsonNode?>(), connection: null);

        // A conversation of 1,000 beats on a clock that moves 250 ms between them.
        var clock = new SteppedClock();
        var conversation = new Transcript(clock);
        conversation.Append(new ConnectionOpened(1, "gateway", "/gateway_v2", "", new Dictionary<string, string>()));
        conversation.Append(new FrameRecorded(1, Direction.ServerToClient, FrameKind.Text, """{"op":0,"d":{"message":"Welcome","heartbeat":250}}""", null));
        for (var i = 0; i < Frames; i++)
        {
            clock.Step(TimeSpan.FromMilliseconds(250));
            conversation.Append(new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, Beat, null));
            conversation.Append(new FrameRecorded(1, Direction.ServerToClient, FrameKind.Text, """{"op":10}""", null));
        }

        var (scenario, errors) = new ScenarioLoader(Specs.Default).Load("bench.yaml", """
            id: listenmoe/bench/heartbeats
            protocol: listenmoe
            rules: [listenmoe.heartbeat.period]
            steps:
              - wait: 250s
            """);
        if (scenario is null)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }

        _module = ProtocolRegistry.Find("listenmoe")!;
        _monitor = _module.Monitors.OfType<HeartbeatMonitor>().Single();
        _context = new MonitorContext(scenario, conversation.Snapshot(), clock.Now);
        _result = new ScenarioResult(scenario, Verdict.Pass, [], [], conversation.Snapshot(), [], TimeSpan.Zero);
    }

    /// <summary>Read: a client's masked frames through the relabelling stream and the server WebSocket.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public async Task<int> Read()
    {
        using var socket = WebSocket.CreateFromStream(
            new TextFramesAsBinaryStream(new MemoryStream(_wire, writable: false)), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var total = 0;
        for (var i = 0; i < Frames; i++)
        {
            total += (await socket.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None)).Count;
        }

        return total;
    }

    /// <summary>Timestamp: the transcript's clock, read once per frame.</summary>
    [Benchmark]
    public TimeSpan Timestamp() => _transcript.Now;

    /// <summary>Record: stamping and appending a frame to a transcript, its growth included.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int Record()
    {
        _transcript = new Transcript();
        for (var i = 0; i < Frames; i++)
        {
            _transcript.Append(new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, Beat, null));
        }

        return _transcript.Count;
    }

    /// <summary>Match: an expectation's JSON pattern against a recorded frame.</summary>
    [Benchmark]
    public bool Match() => _matcher.Matches(_beat);

    /// <summary>Monitor: the heartbeat monitor judging the 1,000 beats.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int Monitor() => _monitor.Check(_context).Count();

    /// <summary>Snapshot render: the normalised text of the 2,000-frame conversation.</summary>
    [Benchmark(OperationsPerInvoke = Frames * 2)]
    public int SnapshotRender() => SnapshotRenderer.Render(_result, _module).Length;

    private static byte[] MaskedClientFrames(string text, int count)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var mask = new byte[] { 0x12, 0x34, 0x56, 0x78 };
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81; // FIN, text
        frame[1] = (byte)(0x80 | payload.Length); // masked, short length
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return [.. Enumerable.Repeat(frame, count).SelectMany(f => f)];
    }
}

/// <summary>A clock that moves only when told, so the benchmark's conversation has exact gaps.</summary>
internal sealed class SteppedClock : TimeProvider
{
    private long _ticks;

    public TimeSpan Now => TimeSpan.FromTicks(_ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Step(TimeSpan by) => _ticks += by.Ticks;
}
