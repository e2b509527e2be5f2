using System.Collections.Concurrent;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// Sits under the server's WebSocket and relabels each incoming text frame as binary, remembering which messages were
/// text. .NET's WebSocket fails the whole connection on invalid UTF-8 in a text frame; relabelled, the bytes reach
/// <see cref="FrameReader"/> intact, so a malformed client frame is recorded and judged while the mock keeps serving.
/// Only frame headers are parsed (RFC 6455 §5.2); payload bytes are skipped by count, except those of the client's pings
/// and pongs, which are unmasked and handed to <see cref="ControlFrameRead"/> (the WebSocket answers and swallows them).
/// It is also the connection's wire: every write, the WebSocket's own and a fault's raw bytes, goes out whole under one
/// lock, so the two never interleave inside a frame.
/// </summary>
internal sealed class TextFramesAsBinaryStream(Stream inner) : Stream
{
    private readonly byte[] _header = new byte[14];
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _headerLength;
    private long _payloadLeft;
    private MemoryStream? _control;
    private volatile Task? _frozen;
    private byte _controlOpcode;

    /// <summary>The type of each data message, in arrival order, as the client sent it.</summary>
    public ConcurrentQueue<FrameKind> MessageKinds { get; } = new();

    /// <summary>A ping (0x9) or pong (0xA) the client sent, with its unmasked payload; called on the reading thread.</summary>
    public Action<byte, byte[]>? ControlFrameRead { get; set; }

    /// <summary>Writes raw bytes between two of the WebSocket's own frames, never inside one, and flushes them.</summary>
    public async Task WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation = default)
    {
        await _writeLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            await inner.WriteAsync(bytes, cancellation).ConfigureAwait(false);
            await inner.FlushAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

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
        if (_frozen is { } frozen)
        {
            // A hung peer reads nothing more: what arrived is left unread until the run ends.
            await frozen.ConfigureAwait(false);
        }

        Relabel(buffer.Span[..read]);
        return read;
    }

    /// <summary>
    /// Stops reading, as a hung server would: a read in progress and every later one hold what they got and never
    /// return, until <paramref name="until"/> fires (they then fail).
    /// </summary>
    public void Freeze(CancellationToken until) => _frozen = Task.Delay(Timeout.Infinite, until);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Relabel(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _writeLock.Wait();
        try
        {
            inner.Write(buffer, offset, count);
        }
        finally
        {
            _writeLock.Release();
        }
    }

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
                _control?.Write(bytes.Slice(i, skip));
                i += skip;
                _payloadLeft -= skip;
                if (_payloadLeft == 0)
                {
                    EndControlFrame();
                }

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
                var opcode = (byte)(_header[0] & 0x0F);
                if (opcode is 0x9 or 0xA && _payloadLeft <= 125)
                {
                    _controlOpcode = opcode;
                    _control = new MemoryStream((int)_payloadLeft);
                }

                _headerLength = 0;
                if (_payloadLeft == 0)
                {
                    EndControlFrame();
                }
            }
        }
    }

    /// <summary>Unmasks a captured ping or pong (RFC 6455 §5.3: the key is the header's last 4 bytes) and hands it on.</summary>
    private void EndControlFrame()
    {
        if (_control is null)
        {
            return;
        }

        var payload = _control.ToArray();
        _control = null;
        if ((_header[1] & 0x80) != 0)
        {
            var key = _header.AsSpan(HeaderSize() - 4, 4);
            for (var k = 0; k < payload.Length; k++)
            {
                payload[k] ^= key[k % 4];
            }
        }

        ControlFrameRead?.Invoke(_controlOpcode, payload);
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
