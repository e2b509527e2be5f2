using System.Threading.Channels;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// The client frames of one connection that are recorded but not yet handled, in order, bounded by their size: the read
/// loop adds, the handling loop takes. Past <see cref="_limit"/> bytes the reader waits, so a client that floods a busy
/// handler meets TCP's back-pressure instead of growing the mock's memory. One frame larger than the limit still passes
/// when nothing else is pending.
/// </summary>
internal sealed class PendingFrames(int limit)
{
    private readonly int _limit = Math.Max(1, limit);
    private readonly Channel<FrameRecorded> _frames = Channel.CreateUnbounded<FrameRecorded>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _progress = new(0);
    private long _bytes;

    /// <summary>Bytes recorded and not yet handled.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public async Task AddAsync(FrameRecorded frame, CancellationToken cancellation)
    {
        var size = Size(frame);
        try
        {
            while (Bytes > 0 && Bytes + size > _limit)
            {
                await _progress.WaitAsync(cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended: the frame is still handed on, as every recorded frame is.
        }

        Interlocked.Add(ref _bytes, size);
        _frames.Writer.TryWrite(frame);
    }

    public IAsyncEnumerable<FrameRecorded> ReadAllAsync() => _frames.Reader.ReadAllAsync();

    public void Handled(FrameRecorded frame)
    {
        Interlocked.Add(ref _bytes, -Size(frame));
        _progress.Release();
    }

    public void Complete() => _frames.Writer.TryComplete();

    private static long Size(FrameRecorded frame) => frame.Binary?.Length ?? System.Text.Encoding.UTF8.GetByteCount(frame.Text ?? "");
}
