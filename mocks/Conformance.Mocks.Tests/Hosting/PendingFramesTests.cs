using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The per-connection limit on client frames read but not yet handled: the reader waits past it (TCP then pushes back on
/// the client), and goes on as the handler catches up; nothing is lost or reordered.
/// </summary>
[Category("hosting")]
public sealed class PendingFramesTests
{
    [Test]
    public async Task AddAsync_OverTheLimit_WaitsUntilTheHandlerTakesAFrame()
    {
        // Given a 10-byte limit holding two 4-byte frames
        var pending = new PendingFrames(10);
        await pending.AddAsync(Frame("aaaa"), CancellationToken.None);
        await pending.AddAsync(Frame("bbbb"), CancellationToken.None);

        // When a third would pass the limit
        var third = pending.AddAsync(Frame("cccc"), CancellationToken.None);
        await Task.Delay(100);
        var waitedWhileFull = !third.IsCompleted;
        var frames = pending.ReadAllAsync().GetAsyncEnumerator();
        await frames.MoveNextAsync();
        pending.Handled(frames.Current);
        await third.WaitAsync(TimeSpan.FromSeconds(5));

        // Then it waited until the first was handled, and all three come out in order
        await frames.MoveNextAsync();
        var second = frames.Current;
        await frames.MoveNextAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(waitedWhileFull, Is.True);
            Assert.That((second.Text, frames.Current.Text), Is.EqualTo(("bbbb", "cccc")));
            Assert.That(pending.Bytes, Is.EqualTo(8));
        }
    }

    [Test]
    public async Task AddAsync_OneFrameLargerThanTheLimit_PassesWhenNothingElseIsPending()
    {
        // Given a 4-byte limit and nothing pending
        var pending = new PendingFrames(4);

        // When a 100-byte frame comes
        var add = pending.AddAsync(Frame(new string('x', 100)), CancellationToken.None);

        // Then it is taken at once (a limit smaller than one message must not stop the connection)
        await add.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(pending.Bytes, Is.EqualTo(100));
    }

    [Test]
    public async Task AddAsync_ConnectionEndsWhileWaiting_TheFrameIsStillHandedOn()
    {
        // Given a full buffer and a connection that ends while the reader waits
        var pending = new PendingFrames(4);
        await pending.AddAsync(Frame("aaaa"), CancellationToken.None);
        using var ended = new CancellationTokenSource();
        var waiting = pending.AddAsync(Frame("bbbb"), ended.Token);

        // When
        await ended.CancelAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        pending.Complete();

        // Then every recorded frame still reaches the handler
        var texts = new List<string?>();
        await foreach (var frame in pending.ReadAllAsync())
        {
            texts.Add(frame.Text);
        }

        Assert.That(texts, Is.EqualTo(new[] { "aaaa", "bbbb" }));
    }

    private static FrameRecorded Frame(string text) => new(1, Direction.ClientToServer, FrameKind.Text, text, null);
}
