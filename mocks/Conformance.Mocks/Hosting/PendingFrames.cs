using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// Hands a connection's recorded client frames to its handler one at a time, in order, without holding up the reading:
/// a handler that waits (on a slow send, a scripted delay) leaves the frames read meanwhile queued behind it, and the
/// reader goes on stamping them as they arrive. When nothing is queued or in hand, a frame is handled at once on the
/// reader's own thread; a handler that finishes without waiting (a heartbeat's ack written straight out) then costs no
/// hop to another thread. Queued frames are bounded by their size: past <see cref="_limit"/> bytes the reader waits, so a
/// client that floods a busy handler meets TCP's back-pressure instead of growing the mock's memory. One frame larger
/// than the limit still passes when nothing else is pending.
/// </summary>
internal sealed class PendingFrames(int limit, Func<FrameRecorded, Task> handle)
{
    private readonly int _limit = Math.Max(1, limit);
    private readonly Lock _lock = new();
    private readonly Queue<FrameRecorded> _queue = new();
    private readonly SemaphoreSlim _progress = new(0);
    private Task? _draining;
    private long _bytes;

    /// <summary>Bytes of the frames queued or in the handler's hands.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Handles <paramref name="frame"/> now if the handler is free, else queues it behind the others; waits first while
    /// the queue is over its limit (until the connection ends: a recorded frame is always handed on). The reader calls
    /// it, one frame at a time.
    /// </summary>
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
        lock (_lock)
        {
            if (_draining is not null)
            {
                _queue.Enqueue(frame);
                return;
            }
        }

        // The handler is free: this frame is handled here and now.
        var handling = handle(frame);
        if (handling.IsCompleted)
        {
            Done(size);
            await handling.ConfigureAwait(false);
            return;
        }

        // The handler waits: frames read meanwhile queue behind this one until a drain has handled them all.
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _draining = drained.Task;
        }

        _ = DrainAsync(handling, size, drained);
    }

    /// <summary>Completes once every frame added so far has been handled; call it when the reader has added its last.</summary>
    public Task Drained()
    {
        lock (_lock)
        {
            return _draining ?? Task.CompletedTask;
        }
    }

    /// <summary>Waits for the frame in hand, then handles the queued ones in order, until none is left.</summary>
    private async Task DrainAsync(Task inHand, long size, TaskCompletionSource drained)
    {
        try
        {
            await inHand.ConfigureAwait(false);
            Done(size);
            while (true)
            {
                FrameRecorded? next;
                lock (_lock)
                {
                    if (!_queue.TryDequeue(out next))
                    {
                        _draining = null;
                        break;
                    }
                }

                await handle(next).ConfigureAwait(false);
                Done(Size(next));
            }

            drained.TrySetResult();
        }
        catch (Exception ex)
        {
            // A handler that throws past its guard: the connection's serving fails with it, as it would have inline.
            lock (_lock)
            {
                _draining = null;
            }

            drained.TrySetException(ex);
        }
    }

    private void Done(long size)
    {
        Interlocked.Add(ref _bytes, -size);
        _progress.Release();
    }

    private static long Size(FrameRecorded frame) => frame.Binary?.Length ?? System.Text.Encoding.UTF8.GetByteCount(frame.Text ?? "");
}
