using System.Text;
using Conformance.Harness.Clients;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Clients;

/// <summary>
/// A client's output into the transcript: lines as they come up to the head's bytes, then only the last bytes of the
/// stream, recorded when it ends after a note of how much was left out.
/// </summary>
public sealed class OutputCaptureTests
{
    [Test]
    public void Take_LinesWithinTheHead_AreRecordedAsTheyComeWithEveryLineEnd()
    {
        // Given
        var transcript = new Transcript();
        var capture = new OutputCapture(OutputStream.Stdout, transcript, headBytes: 100, tailBytes: 100);

        // When lines end in \n, \r\n (split between two reads) and \r, and the last has no end
        capture.Take("one\ntwo\r"u8);
        capture.Take("\nthree\rfou"u8);
        var before = Lines(transcript);
        capture.Take("r"u8);
        capture.Finish();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.EqualTo(new[] { "one", "two", "three" }));
            Assert.That(Lines(transcript), Is.EqualTo(new[] { "one", "two", "three", "four" }));
            Assert.That(transcript.Snapshot().OfType<ProcessOutputDropped>(), Is.Empty);
        }
    }

    [Test]
    public void Take_MoreThanHeadAndTail_KeepsTheFirstAndLastLinesAndSaysHowManyBytesWereLeftOut()
    {
        // Given lines of 10 bytes ("line 0000\n"), 1,000 of them
        var transcript = new Transcript();
        var capture = new OutputCapture(OutputStream.Stderr, transcript, headBytes: 50, tailBytes: 35);
        var text = string.Concat(Enumerable.Range(0, 1000).Select(i => $"line {i:0000}\n"));

        // When they come in reads of 7 bytes
        var bytes = Encoding.ASCII.GetBytes(text);
        for (var at = 0; at < bytes.Length; at += 7)
        {
            capture.Take(bytes.AsSpan(at, Math.Min(7, bytes.Length - at)));
        }

        capture.Finish();

        // Then the first 5 lines (50 bytes), the note, and the last 3 whole lines (the 35 kept bytes start inside a line)
        var entries = transcript.Snapshot();
        var dropped = entries.OfType<ProcessOutputDropped>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Lines(transcript), Is.EqualTo(new[] { "line 0000", "line 0001", "line 0002", "line 0003", "line 0004", "line 0997", "line 0998", "line 0999" }));
            Assert.That(dropped.Bytes, Is.EqualTo(10_000 - 50 - 30));
            Assert.That(dropped.Stream, Is.EqualTo(OutputStream.Stderr));
            Assert.That(entries.OfType<ProcessOutput>().Count(o => o.Index < dropped.Index), Is.EqualTo(5));
            Assert.That(dropped.Describe(), Is.EqualTo("9920 bytes of stderr left out: the harness keeps the first 0 KiB and the last 0 KiB of each output stream"));
        }
    }

    [Test]
    public void Take_OneEndlessLine_KeepsOnlyItsLastBytes()
    {
        // Given
        var transcript = new Transcript();
        var capture = new OutputCapture(OutputStream.Stdout, transcript, headBytes: 1024, tailBytes: 16);

        // When 1 MiB comes without a newline, then its end
        var chunk = Encoding.ASCII.GetBytes(new string('x', 4096));
        for (var i = 0; i < 256; i++)
        {
            capture.Take(chunk);
        }

        capture.Take("end of the line"u8);
        capture.Finish();

        // Then the line's last 16 bytes are all that is recorded
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Lines(transcript), Is.EqualTo(new[] { "xend of the line" }));
            Assert.That(transcript.Snapshot().OfType<ProcessOutputDropped>().Single().Bytes, Is.EqualTo((1 << 20) + 15 - 16));
        }
    }

    [Test]
    public void RunAsync_StreamThatFailsPartWay_StillRecordsTheKeptTail()
    {
        // Given a stream that gives 300 bytes of lines, then breaks
        var transcript = new Transcript();
        var capture = new OutputCapture(OutputStream.Stdout, transcript, headBytes: 20, tailBytes: 20);
        var source = new BreakingStream(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 30).Select(i => $"line {i:000}\n"))));

        // When
        Assert.ThrowsAsync<IOException>(() => capture.RunAsync(source));

        // Then the head, the note and the tail are there
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Lines(transcript), Is.EqualTo(new[] { "line 000", "line 001", "line 028", "line 029" }));
            Assert.That(transcript.Snapshot().OfType<ProcessOutputDropped>(), Has.Exactly(1).Items);
        }
    }

    private static string[] Lines(Transcript transcript) => [.. transcript.Snapshot().OfType<ProcessOutput>().Select(o => o.Line)];

    /// <summary>Gives its bytes, then throws <see cref="IOException"/> as a broken pipe would.</summary>
    private sealed class BreakingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("broken pipe");
    }
}
