using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// A fuzz run against the mock's transcript: each client connection is found by its number header; every message it
/// sent is recorded in order, with its type and exact bytes (an oversize one cut at the limit, and the last); nothing is
/// recorded that was not sent; and on a connection the client closed, every message it sent is there.
/// </summary>
internal sealed class TranscriptAudit
{
    private readonly int _maxMessageBytes;

    private TranscriptAudit(int maxMessageBytes)
    {
        _maxMessageBytes = maxMessageBytes;
    }

    public List<string> Problems { get; } = [];

    /// <summary>Client messages the transcript holds for the audited connections.</summary>
    public int Recorded { get; private set; }

    /// <summary>
    /// Messages written but never read: still in flight when the connection ended by the mock's close, or by the client's
    /// drop (a reset discards what the mock had not read yet). A connection the client closed has none.
    /// </summary>
    public int Unread { get; private set; }

    public static TranscriptAudit Check(IReadOnlyList<TranscriptEntry> entries, IEnumerable<FuzzConnection> connections, int maxMessageBytes)
    {
        var audit = new TranscriptAudit(maxMessageBytes);
        var opened = entries.OfType<ConnectionOpened>()
            .Where(o => o.Headers.ContainsKey(FuzzConnection.NumberHeader))
            .ToDictionary(o => int.Parse(o.Headers[FuzzConnection.NumberHeader], CultureInfo.InvariantCulture), o => o.Connection);
        var frames = entries.OfType<FrameRecorded>().Where(f => f.Direction == Direction.ClientToServer).ToLookup(f => f.Connection);
        var closed = entries.OfType<ConnectionClosed>().ToDictionary(c => c.Connection);
        foreach (var connection in connections.OrderBy(c => c.Number))
        {
            if (!opened.TryGetValue(connection.Number, out var id))
            {
                audit.Problems.Add($"connection {connection.Number}: no ConnectionOpened in the transcript");
                continue;
            }

            audit.CheckConnection(connection, [.. frames[id]], closed.GetValueOrDefault(id));
        }

        return audit;
    }

    private void CheckConnection(FuzzConnection connection, List<FrameRecorded> recorded, ConnectionClosed? closed)
    {
        var name = $"connection {connection.Number} (mock channel {(recorded.FirstOrDefault()?.Connection.ToString(CultureInfo.InvariantCulture) ?? "?")})";
        Recorded += recorded.Count;
        List<FuzzFrame> sent = connection.InFlight is { } inFlight ? [.. connection.Sent, inFlight] : connection.Sent;
        if (closed is null)
        {
            Problems.Add($"{name}: the mock never recorded its end");
        }
        else if (closed.By == CloseInitiator.ClientStalled)
        {
            Problems.Add($"{name}: cut as ClientStalled, though its read loop kept reading ({closed.Stall?.Describe()})");
        }

        if (recorded.Count > sent.Count)
        {
            Problems.Add($"{name}: {recorded.Count} messages recorded, {sent.Count} sent");
        }

        for (var i = 0; i < Math.Min(recorded.Count, sent.Count); i++)
        {
            if (Mismatch(recorded[i], sent[i], last: i == recorded.Count - 1) is { } mismatch)
            {
                Problems.Add($"{name}, message {i}: {mismatch}");
                return;
            }
        }

        if (recorded is [.., var final] && final.Has(FrameDecisionKind.Oversize) && closed is not { By: CloseInitiator.Server, Code: 1009 })
        {
            Problems.Add($"{name}: a message over the limit, then {closed?.By} {closed?.Code} instead of the mock's close with 1009");
        }

        var missing = connection.Sent.Count - recorded.Count;
        if (closed?.By == CloseInitiator.Client && missing != 0)
        {
            // The client's close frame came after all its messages, and the mock reads in order: none may be missing.
            Problems.Add($"{name}: the client closed after {connection.Sent.Count} messages, {recorded.Count} recorded");
        }
        else if (missing > 0)
        {
            Unread += missing;
        }
    }

    /// <summary>Why <paramref name="recorded"/> is not the record of <paramref name="sent"/>; null when it is.</summary>
    private string? Mismatch(FrameRecorded recorded, FuzzFrame sent, bool last)
    {
        var kind = sent.Type == WebSocketMessageType.Text ? FrameKind.Text : FrameKind.Binary;
        var bytes = recorded.Text is { } text ? Encoding.UTF8.GetBytes(text) : recorded.Binary ?? [];
        var expected = sent.Payload;
        if (recorded.Has(FrameDecisionKind.Oversize))
        {
            if (expected.Length <= _maxMessageBytes || !last)
            {
                return $"marked oversize, but {expected.Length} bytes were sent (limit {_maxMessageBytes}){(last ? "" : " and more messages were recorded after it")}";
            }

            expected = expected[.._maxMessageBytes];
        }

        if (recorded.Kind != kind)
        {
            return $"recorded as {recorded.Kind}, sent as {kind}";
        }

        if (!bytes.AsSpan().SequenceEqual(expected))
        {
            return $"recorded {bytes.Length} bytes {Hex(bytes)}, sent {expected.Length} bytes {Hex(expected)}";
        }

        var invalid = kind == FrameKind.Text && !IsUtf8(sent.Payload) && !recorded.Has(FrameDecisionKind.Oversize);
        return invalid != recorded.Has(FrameDecisionKind.InvalidUtf8)
            ? $"invalid UTF-8 {(invalid ? "not marked" : "marked on valid text")} ({recorded.Note})"
            : null;
    }

    private static bool IsUtf8(byte[] bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 32))) + (bytes.Length > 32 ? "…" : "");
}
