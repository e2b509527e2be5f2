using System.Buffers.Binary;

namespace Conformance.Mocks.Wire;

/// <summary>
/// WebSocket frames as the server writes them (RFC 6455 §5.2: unmasked), built byte by byte so a fault can set what a
/// WebSocket library never would: reserved bits, an unknown opcode, a close code that must not be sent.
/// </summary>
public static class WireFrames
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>One frame: FIN when <paramref name="fin"/>, <paramref name="reserved"/> in the RSV1-3 bits (0 to 7), the 4-bit opcode, the payload.</summary>
    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, int reserved = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opcode, (byte)0xF);
        ArgumentOutOfRangeException.ThrowIfNegative(reserved);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reserved, 7);
        var lengthBytes = payload.Length < 126 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        var frame = new byte[2 + lengthBytes + payload.Length];
        frame[0] = (byte)((fin ? 0x80 : 0) | (reserved << 4) | opcode);
        switch (lengthBytes)
        {
            case 0:
                frame[1] = (byte)payload.Length;
                break;
            case 2:
                frame[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
                break;
            default:
                frame[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
                break;
        }

        payload.CopyTo(frame.AsSpan(2 + lengthBytes));
        return frame;
    }

    /// <summary>
    /// One message as several frames: the first carries <paramref name="opcode"/>, the rest are continuations, FIN on the
    /// last. Fragment sizes come from <paramref name="sizes"/> in turn, the last size repeating; with
    /// <paramref name="pingBetween"/> a ping (its payload the fragment's number) goes between each two fragments, as
    /// RFC 6455 §5.4 allows.
    /// </summary>
    public static List<byte[]> Fragments(byte opcode, ReadOnlySpan<byte> payload, IReadOnlyList<int> sizes, bool pingBetween)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sizes.Count);
        var frames = new List<byte[]>();
        var at = 0;
        var part = 0;
        do
        {
            var size = Math.Max(1, sizes[Math.Min(part, sizes.Count - 1)]);
            var count = Math.Min(size, payload.Length - at);
            var last = at + count >= payload.Length;
            if (part > 0 && pingBetween)
            {
                frames.Add(Frame(Ping, System.Text.Encoding.ASCII.GetBytes(part.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }

            frames.Add(Frame(part == 0 ? opcode : Continuation, payload.Slice(at, count), fin: last));
            at += count;
            part++;
        }
        while (at < payload.Length);
        return frames;
    }

    /// <summary>A close frame: no payload when <paramref name="code"/> is null, else the 2-byte code (any value, valid or not) and the reason.</summary>
    public static byte[] CloseFrame(int? code, string reason = "")
    {
        if (code is null)
        {
            return Frame(Close, []);
        }

        var payload = new byte[2 + System.Text.Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code.Value);
        System.Text.Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return Frame(Close, payload);
    }
}
