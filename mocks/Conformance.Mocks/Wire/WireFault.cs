using System.Globalization;
using System.Text;

namespace Conformance.Mocks.Wire;

/// <summary>What a connection does once a fault's bytes are written.</summary>
public enum WireAfter
{
    /// <summary>Serves on as before.</summary>
    Serve,

    /// <summary>Resets the TCP connection (RST, no FIN, no close frame).</summary>
    Reset,

    /// <summary>Stops reading and writing but keeps the TCP connection open, as a peer that hung would.</summary>
    HalfOpen,

    /// <summary>
    /// A close frame went out: the mock sends no more messages (RFC 6455 §5.5.1: no data frames after a close) and waits
    /// for the client's close and the end of the TCP connection.
    /// </summary>
    Closing,
}

/// <summary>One raw write of a fault, after a wait on the transcript's clock.</summary>
public readonly record struct WireWrite(TimeSpan Before, byte[] Bytes);

/// <summary>
/// A one-off violation of RFC 6455 (or of TCP's good manners) that the mock commits on one connection: bytes a WebSocket
/// library would never write, written straight to the connection's stream. <see cref="Name"/> and <see cref="Detail"/>
/// are what the transcript and the snapshot show; <see cref="Writes"/> is the same every time for the same fault.
/// </summary>
public abstract record WireFault
{
    /// <summary>A short kebab-case name, e.g. <c>invalid-utf8</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The fault's parameters as people read them.</summary>
    public abstract string Detail { get; }

    /// <summary>What the connection does after the writes.</summary>
    public virtual WireAfter After => WireAfter.Serve;

    /// <summary>
    /// The valid message the fault delivers in a faulty way (a stalled frame), recorded as a frame the mock sent; null
    /// when what it writes is no message a client should act on (the fault alone is recorded).
    /// </summary>
    public virtual string? Message => null;

    /// <summary>How the fault went on the wire, for a fault that carries a <see cref="Message"/>.</summary>
    public virtual string Wire => Detail;

    /// <summary>The bytes to write, in order, each after its wait.</summary>
    public abstract IEnumerable<WireWrite> Writes();

    /// <summary>A payload shown in a fault's detail: short text as is, long text cut, bytes that are not UTF-8 in hex.</summary>
    protected static string Show(byte[] payload)
    {
        const int Longest = 80;
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
            return text.Length <= Longest ? text : string.Concat(text.AsSpan(0, Longest), $"... ({payload.Length} bytes)");
        }
        catch (DecoderFallbackException)
        {
            return "0x" + Convert.ToHexString(payload.AsSpan(0, Math.Min(payload.Length, Longest / 2))) + (payload.Length > Longest / 2 ? $"... ({payload.Length} bytes)" : "");
        }
    }

    protected static IEnumerable<WireWrite> Now(byte[] bytes) => [new WireWrite(TimeSpan.Zero, bytes)];
}

/// <summary>A text frame whose payload is not valid UTF-8 (RFC 6455 §8.1: the client must fail the connection, 1007).</summary>
public sealed record InvalidUtf8Fault(byte[] Payload) : WireFault
{
    /// <summary><paramref name="text"/> with a byte that never occurs in UTF-8 (0xFF) put in its middle.</summary>
    public static InvalidUtf8Fault Around(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var middle = bytes.Length / 2;
        return new InvalidUtf8Fault([.. bytes.AsSpan(0, middle), 0xFF, .. bytes.AsSpan(middle)]);
    }

    public override string Name => "invalid-utf8";

    public override string Detail => $"text frame of {Payload.Length} bytes that are not UTF-8: {Show(Payload)}";

    public override IEnumerable<WireWrite> Writes() => Now(WireFrames.Frame(WireFrames.Text, Payload));
}

/// <summary>A frame with reserved bits set though no extension was negotiated (RFC 6455 §5.2: the client must fail the connection).</summary>
public sealed record ReservedBitsFault(int Bits, byte Opcode, byte[] Payload) : WireFault
{
    public override string Name => "reserved-bits";

    public override string Detail =>
        $"{(Opcode == WireFrames.Text ? "text" : "binary")} frame with {string.Join('+', new[] { (4, "RSV1"), (2, "RSV2"), (1, "RSV3") }.Where(b => (Bits & b.Item1) != 0).Select(b => b.Item2))} set: {Show(Payload)}";

    public override IEnumerable<WireWrite> Writes() => Now(WireFrames.Frame(Opcode, Payload, reserved: Bits));
}

/// <summary>A frame with an opcode RFC 6455 reserves (0x3-0x7, 0xB-0xF): the client must fail the connection (§5.2).</summary>
public sealed record UnknownOpcodeFault(byte Opcode, byte[] Payload) : WireFault
{
    public override string Name => "unknown-opcode";

    public override string Detail => $"frame with opcode 0x{Opcode:X} ({(Opcode >= 0x8 ? "control" : "data")}), {Payload.Length} bytes: {Show(Payload)}";

    public override IEnumerable<WireWrite> Writes() => Now(WireFrames.Frame(Opcode, Payload));
}

/// <summary>
/// One text frame far larger than any the protocol sends: <see cref="Text"/> with its first empty JSON string (<c>""</c>)
/// filled with <c>x</c> up to <see cref="Size"/> bytes, so the message can be one the protocol knows (a padded ack).
/// RFC 6455 §10.4 lets a client limit message size; over its limit it closes with 1009 (§7.4.1) rather than fail in any
/// other way.
/// </summary>
public sealed record OversizeFault(int Size, string Text = OversizeFault.DefaultText) : WireFault
{
    public const string DefaultText = "{\"padding\":\"\"}";

    public override string Name => "oversize";

    public override string Detail => $"one text frame of {Size} bytes: {Text} with its first \"\" padded";

    public override IEnumerable<WireWrite> Writes()
    {
        var at = Text.IndexOf("\"\"", StringComparison.Ordinal);
        var head = Encoding.UTF8.GetBytes(at < 0 ? Text : Text[..(at + 1)]);
        var tail = Encoding.UTF8.GetBytes(at < 0 ? "" : Text[(at + 1)..]);
        var payload = new byte[Math.Max(Size, head.Length + tail.Length)];
        head.CopyTo(payload, 0);
        payload.AsSpan(head.Length, payload.Length - head.Length - tail.Length).Fill((byte)'x');
        tail.CopyTo(payload, payload.Length - tail.Length);
        return Now(WireFrames.Frame(WireFrames.Text, payload));
    }
}

/// <summary>
/// A close frame with a chosen code, valid or not (1005, 1006 and 1015 must never be sent, RFC 6455 §7.4.1; codes under
/// 1000 are not used, §7.4.2), or with no code at all (<see cref="Code"/> null: an empty close frame, which is valid).
/// The TCP connection stays open for the client's answer.
/// </summary>
public sealed record CloseCodeFault(int? Code) : WireFault
{
    public override string Name => Code is null ? "empty-close" : "close-code";

    public override string Detail => Code is { } code ? $"close frame with code {code}" : "close frame with no code (empty payload)";

    public override WireAfter After => WireAfter.Closing;

    public override IEnumerable<WireWrite> Writes() => Now(WireFrames.CloseFrame(Code));
}

/// <summary>
/// <see cref="Count"/> pings at once, payloads "1" to "N" (RFC 6455 §5.5.2: each must be answered with a pong echoing it;
/// §5.5.3: a pong to the latest may stand for those before it).
/// </summary>
public sealed record PingFloodFault(int Count) : WireFault
{
    public override string Name => "ping-flood";

    public override string Detail => $"{Count} pings at once, payloads 1 to {Count.ToString(CultureInfo.InvariantCulture)}";

    public override IEnumerable<WireWrite> Writes()
    {
        var frames = Enumerable.Range(1, Count)
            .Select(i => WireFrames.Frame(WireFrames.Ping, Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture))));
        return Now([.. frames.SelectMany(f => f)]);
    }
}

/// <summary>A text frame that stops after <see cref="AfterBytes"/> of its bytes for <see cref="For"/>, then comes whole.</summary>
public sealed record StallFault(byte[] Payload, int AfterBytes, TimeSpan For) : WireFault
{
    public override string Name => "stall";

    public override string Detail => $"text frame stalled {For.TotalMilliseconds:0}ms after {AfterBytes} of its bytes: {Show(Payload)}";

    public override string? Message => Encoding.UTF8.GetString(Payload);

    public override string Wire => $"stalled {For.TotalMilliseconds:0}ms after {AfterBytes} of its bytes";

    public override IEnumerable<WireWrite> Writes()
    {
        var frame = WireFrames.Frame(WireFrames.Text, Payload);
        var cut = Math.Clamp(AfterBytes, 1, frame.Length - 1);
        return [new WireWrite(TimeSpan.Zero, frame[..cut]), new WireWrite(For, frame[cut..])];
    }
}

/// <summary>The TCP connection is reset (RST): no close frame, no orderly FIN.</summary>
public sealed record ResetFault : WireFault
{
    public override string Name => "reset";

    public override string Detail => "TCP reset (RST), no close frame";

    public override WireAfter After => WireAfter.Reset;

    public override IEnumerable<WireWrite> Writes() => [];
}

/// <summary>The mock stops reading and writing on the connection but keeps its TCP connection open.</summary>
public sealed record HalfOpenFault : WireFault
{
    /// <summary>The fault's name in the transcript (<see cref="Transcripts.WireFaultSent.Fault"/>).</summary>
    public const string FaultName = "half-open";

    public override string Name => FaultName;

    public override string Detail => "the mock stops reading and writing; the TCP connection stays open";

    public override WireAfter After => WireAfter.HalfOpen;

    public override IEnumerable<WireWrite> Writes() => [];
}
