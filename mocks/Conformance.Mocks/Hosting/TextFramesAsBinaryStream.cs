using System.Collections.Concurrent;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// Sits under the server's WebSocket and relabels each incoming text frame as binary, remembering which messages were
/// text. .NET's WebSocket fails the whole connection on invalid UTF-8 in a text frame; relabelled, the bytes reach
/// <see cref="FrameReader"/> intact, so a malformed client frame is recorded and judged while the mock keeps serving.
/// Only frame headers are parsed (RFC 6455 §5.2); payload bytes are skipped by count.
/// </summary>
internal sealed class TextFramesAsBinaryStream(Stream inner) : Stream
{
    private readonly byte[] _header = new byte[14];
    private int _headerLength;
    private long _payloadLeft;

    /// <summary>The type of each data message, in arrival order, as the client sent it.</summary>
    public ConcurrentQueue<FrameKind> MessageKinds { get; } = new();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Relabel(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Relabel(buffer.AsSpan(offset, read));
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Relabel(Span<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, bytes.Length - i);
                i += skip;
                _payloadLeft -= skip;
                continue;
            }

            if (_headerLength == 0)
            {
                // Opcode: 0x0 continuation, 0x1 text, 0x2 binary, 0x8 and above control frames.
                var opcode = bytes[i] & 0x0F;
                if (opcode == 0x1)
                {
                    bytes[i] = (byte)((bytes[i] & 0xF0) | 0x2);
                    MessageKinds.Enqueue(FrameKind.Text);
                }
                else if (opcode == 0x2)
                {
                    MessageKinds.Enqueue(FrameKind.Binary);
                }
            }

            _header[_headerLength++] = bytes[i++];
            if (_headerLength >= 2 && _headerLength == HeaderSize())
            {
                _payloadLeft = PayloadLength();
                _headerLength = 0;
            }
        }
    }

    private int HeaderSize()
    {
        var length7 = _header[1] & 0x7F;
        var masked = (_header[1] & 0x80) != 0;
        return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
    }

    private long PayloadLength()
    {
        var length7 = _header[1] & 0x7F;
        return length7 switch
        {
            126 => (_header[2] << 8) | _header[3],
            127 => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2, 8)),
            _ => length7,
        };
    }
}
