using System.Globalization;

namespace Conformance.Mocks.Transcripts;

/// <summary>Who sent a frame.</summary>
public enum Direction
{
    /// <summary>From the client under test to the mock.</summary>
    ClientToServer,

    /// <summary>From the mock to the client under test.</summary>
    ServerToClient,
}

/// <summary>The WebSocket message type of a frame.</summary>
public enum FrameKind
{
    Text,
    Binary,
}

/// <summary>How a connection ended.</summary>
public enum CloseInitiator
{
    /// <summary>The client sent a close frame.</summary>
    Client,

    /// <summary>The mock sent a close frame.</summary>
    Server,

    /// <summary>The mock dropped the TCP connection without a close frame.</summary>
    ServerDropped,

    /// <summary>The client's side vanished without a close frame.</summary>
    ClientLost,

    /// <summary>The mock was stopped while the connection was open.</summary>
    Teardown,

    /// <summary>
    /// The client stopped reading: a send of the mock's did not complete within the host's send timeout, so the mock cut
    /// the TCP connection without a close frame. <see cref="ConnectionClosed.Stall"/> says how much was left unsent.
    /// </summary>
    ClientStalled,
}

/// <summary>Which output stream of the client process a line came from.</summary>
public enum OutputStream
{
    Stdout,
    Stderr,
}

/// <summary>
/// One thing that happened during a run. <see cref="Index"/> is the position in the transcript and
/// <see cref="At"/> the monotonic time since the transcript started, taken when the event was read.
/// </summary>
public abstract record TranscriptEntry
{
    public int Index { get; internal set; }

    public TimeSpan At { get; internal set; }
}

/// <summary>A client opened a WebSocket connection to an endpoint of the mock.</summary>
public sealed record ConnectionOpened(
    int Connection,
    string Endpoint,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers) : TranscriptEntry;

/// <summary>The mock refused a WebSocket upgrade.</summary>
public sealed record ConnectionRefused(string Endpoint, string Path, int Status, string Reason) : TranscriptEntry
{
    /// <summary>The upgrade request's query string, with its '?', or empty.</summary>
    public string Query { get; init; } = "";

    /// <summary>The upgrade request's headers (names case-insensitive), without the Sec-WebSocket-* ones.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>A whole WebSocket message, in either direction.</summary>
public sealed record FrameRecorded(int Connection, Direction Direction, FrameKind Kind, string? Text, byte[]? Binary)
    : TranscriptEntry
{
    // Replaced whole on each decision, so a reader on another thread sees either the old list or the new one.
    private FrameDecision[] _decisions = [];

    /// <summary>What the mock decided about this frame instead of acting on it (rate limit, malformed, ...), in order; empty when it acted on it.</summary>
    public IReadOnlyList<FrameDecision> Decisions => _decisions;

    /// <summary>
    /// The decisions as people read them in transcripts and snapshots, e.g. <c>dropped: rate limit</c>, joined by "; ";
    /// null when there are none. For display only: monitors judge from <see cref="Decisions"/>.
    /// </summary>
    public string? Note => _decisions.Length == 0 ? null : string.Join("; ", _decisions.Select(d => d.Display));

    /// <summary>Records what the mock decided about the frame; decisions accumulate.</summary>
    public FrameRecorded Decide(FrameDecision decision)
    {
        _decisions = [.. _decisions, decision];
        return this;
    }

    /// <summary>Whether the mock made a decision of this kind about the frame.</summary>
    public bool Has(FrameDecisionKind kind) => Array.Exists(_decisions, d => d.Kind == kind);

    /// <summary>What made the mock send this frame when a script did (e.g. <c>step 3</c>); null for the protocol's own behaviour.</summary>
    public string? Origin { get; init; }

    /// <summary>The text, or a hex rendering of the binary payload.</summary>
    public string Display => Text ?? "0x" + Convert.ToHexString(Binary ?? []);

    /// <summary>How a frame of the mock's went on the wire when wire faults shaped it (fragments, pings between, dribbling); null when sent as usual.</summary>
    public string? Wire { get; init; }
}

/// <summary>
/// A ping or pong on a WebSocket connection: the client's own (which the WebSocket answers by itself), recorded so a
/// scenario can judge that a client answers the mock's pings.
/// </summary>
public sealed record ControlFrameRecorded(int Connection, Direction Direction, bool IsPong, byte[] Payload) : TranscriptEntry
{
    public string Display => (IsPong ? "pong " : "ping ") + (Payload.Length == 0 ? "(empty)" : System.Text.Encoding.UTF8.GetString(Payload));
}

/// <summary>The mock broke the WebSocket protocol (or TCP's manners) on a connection on purpose: <see cref="Fault"/> with its <see cref="Detail"/>.</summary>
public sealed record WireFaultSent(int Connection, string Fault, string Detail) : TranscriptEntry
{
    /// <summary>What scripted the fault, e.g. <c>step 3</c>.</summary>
    public string? Origin { get; init; }
}

/// <summary>
/// The TCP connection under a WebSocket connection that had already ended (a client close frame the mock left
/// unanswered) was closed: by the client (<paramref name="ByClient"/>), or by the run's end.
/// </summary>
public sealed record TcpReleased(int Connection, bool ByClient) : TranscriptEntry;

/// <summary>From here on chaos follows these settings (<see cref="Chaos.ChaosSettings.IsOff"/>: no more chaos).</summary>
public sealed record ChaosSet(Chaos.ChaosSettings Settings) : TranscriptEntry;

/// <summary>Chaos struck one message of the mock's: the event, which a shrunk schedule can replay alone.</summary>
public sealed record ChaosApplied(Chaos.ChaosEvent Event) : TranscriptEntry;

/// <summary>From here on every WebSocket send of the mock is shaped by these settings (<see cref="Wire.WireFaultSettings.IsOff"/>: no longer).</summary>
public sealed record WireFaultsSet(Wire.WireFaultSettings Settings) : TranscriptEntry;

/// <summary>
/// A scripted frame for a connection that had ended, held for its <paramref name="Session"/> until the client resumes it;
/// when it is delivered it is recorded again as a <see cref="FrameRecorded"/> on the new connection.
/// </summary>
public sealed record FrameHeld(int Connection, string Session, string Display) : TranscriptEntry
{
    /// <summary>What scripted the frame, e.g. <c>step 5</c>.</summary>
    public string? Origin { get; init; }
}

/// <summary>
/// A channel ended: a WebSocket connection, or a UDP peer the mock dropped (<see cref="CloseInitiator.ServerDropped"/>) or
/// stopped serving when its socket closed (<see cref="CloseInitiator.Teardown"/>). <see cref="Connection"/> is the channel id.
/// </summary>
public sealed record ConnectionClosed(int Connection, CloseInitiator By, int? Code, string? Reason) : TranscriptEntry
{
    /// <summary>The send that timed out, when <see cref="By"/> is <see cref="CloseInitiator.ClientStalled"/>; null otherwise.</summary>
    public SendStall? Stall { get; init; }
}

/// <summary>
/// A send the client did not take in time: the message's size, how many of its bytes the transport had not accepted
/// (whole WebSocket frames are handed over at once, so an unfragmented message is all or nothing), and the timeout.
/// </summary>
public sealed record SendStall(int MessageBytes, int UnsentBytes, TimeSpan Timeout)
{
    /// <summary>One sentence for verdicts and reports, e.g. <c>the client stopped reading: 1048576 bytes unsent after 5 s</c>.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"the client stopped reading: {UnsentBytes} bytes unsent after {Timeout.TotalSeconds:0.###} s") +
        (UnsentBytes == MessageBytes ? "" : string.Create(CultureInfo.InvariantCulture, $" (of a {MessageBytes}-byte message)"));
}


/// <summary>
/// A UDP endpoint of the mock received a datagram from a remote address and port it had no open channel for: a new
/// channel, numbered in the same sequence as WebSocket connections.
/// </summary>
public sealed record UdpPeerOpened(int Channel, string Endpoint, string Remote) : TranscriptEntry;

/// <summary>One UDP datagram on a peer channel, in either direction.</summary>
public sealed record DatagramRecorded(int Channel, Direction Direction, byte[] Payload) : TranscriptEntry
{
    /// <summary>What made the mock send this datagram when a script did (e.g. <c>step 3</c>); null for the protocol's own behaviour.</summary>
    public string? Origin { get; init; }

    /// <summary>What the endpoint's scripted faults did to a datagram the mock sent; <see cref="Channels.DatagramFate.Delivered"/> without faults.</summary>
    public Channels.DatagramFate Fate { get; init; }

    // Replaced whole on each decision, as FrameRecorded's are.
    private DatagramDecision[] _decisions = [];

    /// <summary>What the mock made of this datagram (sealed audio that opens, dropped for its source, ...), in order.</summary>
    public IReadOnlyList<DatagramDecision> Decisions => _decisions;

    /// <summary>The decisions as people read them, joined by "; "; null when there are none. Monitors judge from <see cref="Decisions"/>.</summary>
    public string? Note => _decisions.Length == 0 ? null : string.Join("; ", _decisions.Select(d => d.Display));

    /// <summary>Records what the mock made of the datagram; decisions accumulate.</summary>
    public DatagramRecorded Decide(DatagramDecision decision)
    {
        _decisions = [.. _decisions, decision];
        return this;
    }

    /// <summary>Whether the mock made a decision of this kind about the datagram.</summary>
    public bool Has(DatagramDecisionKind kind) => Array.Exists(_decisions, d => d.Kind == kind);

    /// <summary>A hex rendering of the payload, <c>0x</c> first, as <see cref="FrameRecorded.Display"/> shows binary frames.</summary>
    public string Display => "0x" + Convert.ToHexString(Payload);
}

/// <summary>Faults were set on a UDP endpoint's sends, with the seed that replays them.</summary>
public sealed record DatagramFaultsSet(string Endpoint, Channels.DatagramFaultSettings Settings) : TranscriptEntry;

/// <summary>An HTTP request to the mock and its answer.</summary>
public sealed record HttpExchange(
    string Method,
    string Path,
    string Query,
    string? RequestBody,
    int Status,
    string? ResponseBody) : TranscriptEntry
{
    /// <summary>The route or scenario stub that answered; null when none did (404).</summary>
    public string? Route { get; init; }

    /// <summary>The request's headers (names case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> RequestHeaders { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The answer's headers, where they were kept: a recording proxy keeps them (cookies a client sends back); a mock's
    /// own answers leave this empty.
    /// </summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How the answer was broken on purpose, instead of answering; <see cref="Status"/> is then 0.</summary>
    public Hosting.HttpFault? Fault { get; init; }
}

/// <summary>The client process was started.</summary>
public sealed record ProcessStarted(string Command, int ProcessId) : TranscriptEntry;

/// <summary>A line the client process wrote.</summary>
public sealed record ProcessOutput(OutputStream Stream, string Line) : TranscriptEntry;

/// <summary>
/// The client printed more than the harness keeps: <paramref name="Bytes"/> of <paramref name="Stream"/> were left out
/// here, between the first <paramref name="HeadBytes"/> (recorded before this entry) and the last lines, within
/// <paramref name="TailBytes"/> (recorded after it, when the stream ended).
/// </summary>
public sealed record ProcessOutputDropped(OutputStream Stream, long Bytes, int HeadBytes, int TailBytes) : TranscriptEntry
{
    /// <summary>One sentence for transcripts and snapshots.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Bytes} bytes of {(Stream == OutputStream.Stdout ? "stdout" : "stderr")} left out: the harness keeps the first {HeadBytes / 1024} KiB and the last {TailBytes / 1024} KiB of each output stream");
}

/// <summary>The client process ended, by itself or because the harness stopped it.</summary>
public sealed record ProcessExited(int? ExitCode, bool StoppedByHarness, bool Killed) : TranscriptEntry;

/// <summary>An exception escaped a mock's handler; the scenario is then an Error, never blamed on the client.</summary>
public sealed record MockFault(string Message, string Detail) : TranscriptEntry;

/// <summary>A scenario step started; lets reports line frames up with the script.</summary>
public sealed record StepStarted(int Step, string Description) : TranscriptEntry;
