using System.Text;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Clients;

/// <summary>
/// One output stream of the client process into the transcript, line by line (a line ends at \n, \r or \r\n), within a
/// bound: the first <c>headBytes</c> are recorded as they come; past them only the last <c>tailBytes</c> are kept, and
/// recorded when the stream ends, after a <see cref="ProcessOutputDropped"/> that says how many bytes were left out
/// between. A client that prints without end, with or without newlines, costs the harness no more than that.
/// </summary>
internal sealed class OutputCapture
{
    /// <summary>Bytes of each stream recorded as they come: 64 KiB.</summary>
    public const int DefaultHeadBytes = 64 * 1024;

    /// <summary>Bytes at the end of each stream kept once the head is full: 64 KiB.</summary>
    public const int DefaultTailBytes = 64 * 1024;

    private readonly OutputStream _stream;
    private readonly Transcript _transcript;
    private readonly int _headBytes;
    private readonly int _tailBytes;
    private readonly MemoryStream _line = new();
    private int _headLeft;
    private bool _afterCr;
    private TailBuffer? _tail;

    public OutputCapture(OutputStream stream, Transcript transcript, int headBytes = DefaultHeadBytes, int tailBytes = DefaultTailBytes)
    {
        _stream = stream;
        _transcript = transcript;
        _headBytes = headBytes;
        _tailBytes = tailBytes;
        _headLeft = headBytes;
    }

    /// <summary>
    /// Reads <paramref name="source"/> to its end, recording as it goes, then records what the tail kept (also when
    /// reading fails part-way, before the exception goes on).
    /// </summary>
    public async Task RunAsync(Stream source)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                Take(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            Finish();
        }
    }

    /// <summary>Takes the next bytes of the stream.</summary>
    public void Take(ReadOnlySpan<byte> bytes)
    {
        if (_tail is not null)
        {
            _tail.Write(bytes);
            return;
        }

        while (!bytes.IsEmpty)
        {
            if (_afterCr && bytes[0] == (byte)'\n')
            {
                // The \n of a \r\n whose \r ended the line in the previous read.
                bytes = bytes[1..];
                _headLeft--;
                _afterCr = false;
                continue;
            }

            _afterCr = false;
            var end = bytes.IndexOfAny((byte)'\n', (byte)'\r');
            var content = end < 0 ? bytes : bytes[..end];
            var terminator = end < 0 ? 0 : end + 1 < bytes.Length && bytes[end] == (byte)'\r' && bytes[end + 1] == (byte)'\n' ? 2 : 1;
            if (_line.Length + content.Length + terminator > _headLeft)
            {
                // The head is full: from the start of this line on, only the end of the stream is kept.
                _tail = new TailBuffer(_tailBytes);
                _tail.Write(_line.GetBuffer().AsSpan(0, (int)_line.Length));
                _tail.Write(bytes);
                _line.SetLength(0);
                return;
            }

            _line.Write(content);
            if (end < 0)
            {
                return;
            }

            _afterCr = terminator == 1 && bytes[end] == (byte)'\r';
            _headLeft -= (int)_line.Length + terminator;
            Record(_line.GetBuffer().AsSpan(0, (int)_line.Length));
            _line.SetLength(0);
            bytes = bytes[(end + terminator)..];
        }
    }

    /// <summary>The stream has ended: records an unfinished last line, or the note and the lines the tail kept.</summary>
    public void Finish()
    {
        if (_tail is null)
        {
            if (_line.Length > 0)
            {
                Record(_line.GetBuffer().AsSpan(0, (int)_line.Length));
                _line.SetLength(0);
            }

            return;
        }

        var kept = _tail.Contents();
        var dropped = _tail.Total - kept.Length;
        _afterCr = false;
        if (dropped > 0 && kept.AsSpan().IndexOfAny((byte)'\n', (byte)'\r') is var cut and >= 0 && cut < kept.Length - 1)
        {
            // The tail starts inside a line: that line goes with what was left out.
            _afterCr = kept[cut] == (byte)'\r';
            kept = kept[(cut + 1)..];
            dropped += cut + 1;
        }

        if (dropped > 0)
        {
            _transcript.Append(new ProcessOutputDropped(_stream, dropped, _headBytes, _tailBytes));
        }

        _tail = null;
        _headLeft = int.MaxValue;
        Take(kept);
        if (_line.Length > 0)
        {
            Record(_line.GetBuffer().AsSpan(0, (int)_line.Length));
            _line.SetLength(0);
        }
    }

    private void Record(ReadOnlySpan<byte> line) => _transcript.Append(new ProcessOutput(_stream, Encoding.UTF8.GetString(line)));

    /// <summary>The last bytes written, in a ring, and how many were written in all.</summary>
    private sealed class TailBuffer(int capacity)
    {
        private readonly byte[] _ring = new byte[capacity];

        public long Total { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            // The byte at position n of the stream lives at n % capacity; what would be overwritten at once is skipped.
            if (bytes.Length > _ring.Length)
            {
                Total += bytes.Length - _ring.Length;
                bytes = bytes[^_ring.Length..];
            }

            var at = (int)(Total % _ring.Length);
            var first = Math.Min(bytes.Length, _ring.Length - at);
            bytes[..first].CopyTo(_ring.AsSpan(at));
            bytes[first..].CopyTo(_ring);
            Total += bytes.Length;
        }

        /// <summary>The kept bytes in order.</summary>
        public byte[] Contents()
        {
            if (Total <= _ring.Length)
            {
                return _ring[..(int)Total];
            }

            var at = (int)(Total % _ring.Length);
            return [.. _ring[at..], .. _ring[..at]];
        }
    }
}
