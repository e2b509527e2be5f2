using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// How a connection's client frames reach its handler: in order, one at a time, at once on the reader's thread when the
/// handler is free and finishes without waiting, queued behind a handler that waits; past the queue's limit the reader
/// waits (TCP then pushes back on the client) and goes on as the handler catches up; nothing is lost or reordered.
/// </summary>
[Category("hosting")]
public sealed class PendingFramesTests
{
    [Test]
    public async Task AddAsync_HandlerFinishesWithoutWaiting_HandledBeforeAddReturnsOnTheReadersThread()
    {
        // Given a handler that answers at once
        var handledOn = new List<(string? Text, int Thread)>();
        var pending = new PendingFrames(10, frame =>
        {
            handledOn.Add((frame.Text, Environment.CurrentManagedThreadId));
            return Task.CompletedTask;
        });

        // When two frames come
        var first = pending.AddAsync(Frame("aaaa"), CancellationToken.None);
        var second = pending.AddAsync(Frame("bbbb"), CancellationToken.None);

        // Then both were handled by the time each add returned, on this thread, with nothing left in hand
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.IsCompletedSuccessfully && second.IsCompletedSuccessfully, Is.True);
            Assert.That(handledOn, Is.EqualTo(new[] { ("aaaa", Environment.CurrentManagedThreadId), ("bbbb", Environment.CurrentManagedThreadId) }));
            Assert.That(pending.Drained().IsCompleted, Is.True);
            Assert.That(pending.Bytes, Is.Zero);
        }

        await Task.WhenAll(first, second);
    }

    [Test]
    public async Task AddAsync_OverTheLimit_WaitsUntilTheHandlerTakesAFrame()
    {
        // Given a 10-byte limit and a handler that holds each frame until released: one 4-byte frame in hand, one queued
        var handler = new HeldHandler();
        var pending = new PendingFrames(10, handler.Handle);
        await pending.AddAsync(Frame("aaaa"), CancellationToken.None);
        await pending.AddAsync(Frame("bbbb"), CancellationToken.None);

        // When a third would pass the limit
        var third = pending.AddAsync(Frame("cccc"), CancellationToken.None);
        await Task.Delay(100);
        var waitedWhileFull = !third.IsCompleted;
        handler.Release("aaaa");
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        var bytesAfterFirst = pending.Bytes;
        handler.Release("bbbb");
        handler.Release("cccc");
        await pending.Drained().WaitAsync(TimeSpan.FromSeconds(5));

        // Then it waited until the first was handled, and all three were handled in order
        using (Assert.EnterMultipleScope())
        {
            Assert.That(waitedWhileFull, Is.True);
            Assert.That(bytesAfterFirst, Is.EqualTo(8));
            Assert.That(handler.Started, Is.EqualTo(new[] { "aaaa", "bbbb", "cccc" }));
            Assert.That(pending.Bytes, Is.Zero);
        }
    }

    [Test]
    public async Task AddAsync_OneFrameLargerThanTheLimit_PassesWhenNothingElseIsPending()
    {
        // Given a 4-byte limit, nothing pending, and a handler that holds the frame
        var handler = new HeldHandler();
        var pending = new PendingFrames(4, handler.Handle);

        // When a 100-byte frame comes
        var add = pending.AddAsync(Frame(new string('x', 100)), CancellationToken.None);

        // Then it is taken at once (a limit smaller than one message must not stop the connection)
        await add.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(pending.Bytes, Is.EqualTo(100));
    }

    [Test]
    public async Task AddAsync_ConnectionEndsWhileWaiting_TheFrameIsStillHandedOn()
    {
        // Given a full queue and a connection that ends while the reader waits
        var handler = new HeldHandler();
        var pending = new PendingFrames(4, handler.Handle);
        await pending.AddAsync(Frame("aaaa"), CancellationToken.None);
        using var ended = new CancellationTokenSource();
        var waiting = pending.AddAsync(Frame("bbbb"), ended.Token);

        // When
        await ended.CancelAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        handler.Release("aaaa");
        handler.Release("bbbb");
        await pending.Drained().WaitAsync(TimeSpan.FromSeconds(5));

        // Then every recorded frame still reached the handler
        Assert.That(handler.Started, Is.EqualTo(new[] { "aaaa", "bbbb" }));
    }

    private static FrameRecorded Frame(string text) => new(1, Direction.ClientToServer, FrameKind.Text, text, null);

    /// <summary>A handler that holds each frame until the test releases it by its text.</summary>
    private sealed class HeldHandler
    {
        private readonly Dictionary<string, TaskCompletionSource> _held = [];

        public List<string> Started { get; } = [];

        public Task Handle(FrameRecorded frame)
        {
            lock (_held)
            {
                Started.Add(frame.Text!);
                return Gate(frame.Text!).Task;
            }
        }

        public void Release(string text)
        {
            lock (_held)
            {
                Gate(text).TrySetResult();
            }
        }

        private TaskCompletionSource Gate(string text)
        {
            if (!_held.TryGetValue(text, out var gate))
            {
                gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _held[text] = gate;
            }

            return gate;
        }
    }
}
