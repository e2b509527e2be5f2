using System.Net.WebSockets;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Every send has a timeout (<see cref="MockHostOptions.SendTimeout"/>): a client that stops reading gets its connection
/// cut, and the transcript says so as data. Over an in-memory transport whose writes stop completing, on a fake clock.
/// </summary>
[Category("hosting")]
public sealed class SendTimeoutTests
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    [Test]
    public async Task Send_ClientStopsReading_CutsTheConnectionAfterTheTimeoutAndRecordsTheStall()
    {
        // Given a connection whose transport takes no bytes at all
        var clock = new WatchedClock();
        var transcript = new Transcript(clock);
        await using var transport = new StallingStream(acceptWrites: 0);
        var cut = false;
        var connection = Connect(transport, transcript, () => cut = true);

        // When a 1000-byte message is sent and the send timeout passes on the clock
        var sending = connection.SendTextAsync(new string('x', 1000), origin: "step 2");
        await StuckAsync(transport, clock);
        var pendingBeforeTimeout = !sending.IsCompleted;
        clock.Advance(SendTimeout);
        var sent = await sending.WaitAsync(TestClient.DefaultTimeout);

        // Then the send reports failure, the connection is cut, and the transcript and the connection say why
        var closed = transcript.Snapshot().OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pendingBeforeTimeout, Is.True, "the send waits for the client until the timeout");
            Assert.That(sent, Is.False);
            Assert.That(cut, Is.True, "the TCP connection is cut");
            Assert.That(connection.IsOpen, Is.False);
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.ClientStalled));
            Assert.That(closed.Stall, Is.EqualTo(new SendStall(MessageBytes: 1000, UnsentBytes: 1000, SendTimeout)));
            Assert.That(closed.At, Is.EqualTo(SendTimeout), "cut when the timeout ran out on the run's clock");
            Assert.That(connection.Ended, Is.SameAs(closed));
            Assert.That(closed.Stall!.Describe(), Is.EqualTo("the client stopped reading: 1000 bytes unsent after 5 s"));
            Assert.That(TranscriptJson.ToJson(closed)["stall"]?["unsentBytes"]?.GetValue<int>(), Is.EqualTo(1000));
        }
    }

    [Test]
    public async Task SendFragmented_TransportTakesHalfTheFrames_CountsOnlyTheRestAsUnsent()
    {
        // Given a transport that takes two frames, then no more
        var clock = new WatchedClock();
        var transcript = new Transcript(clock);
        await using var transport = new StallingStream(acceptWrites: 2);
        var connection = Connect(transport, transcript, () => { });

        // When a 1000-byte message goes out in four frames and the timeout passes
        var sending = connection.SendFragmentedAsync(new string('y', 1000), parts: 4);
        await StuckAsync(transport, clock);
        clock.Advance(SendTimeout);
        await sending.WaitAsync(TestClient.DefaultTimeout);

        // Then the stall counts the two frames the transport never took
        var stall = connection.Ended?.Stall;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stall, Is.EqualTo(new SendStall(MessageBytes: 1000, UnsentBytes: 500, SendTimeout)));
            Assert.That(stall?.Describe(), Is.EqualTo("the client stopped reading: 500 bytes unsent after 5 s (of a 1000-byte message)"));
        }
    }

    [Test]
    public async Task Send_AfterAStall_FailsAtOnceWithoutWaiting()
    {
        // Given a connection already cut because the client stopped reading
        var clock = new WatchedClock();
        var transcript = new Transcript(clock);
        await using var transport = new StallingStream(acceptWrites: 0);
        var connection = Connect(transport, transcript, () => { });
        var first = connection.SendTextAsync("one");
        await StuckAsync(transport, clock);
        clock.Advance(SendTimeout);
        await first.WaitAsync(TestClient.DefaultTimeout);

        // When the mock sends again
        var second = await connection.SendTextAsync("two").WaitAsync(TestClient.DefaultTimeout);

        // Then nothing is sent or recorded, and the end stays the stall
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.False);
            Assert.That(transcript.Snapshot().OfType<FrameRecorded>().Select(f => f.Text), Is.EqualTo(new[] { "one" }));
            Assert.That(transcript.Snapshot().OfType<ConnectionClosed>().Select(c => c.By), Is.EqualTo(new[] { CloseInitiator.ClientStalled }));
        }
    }

    [Test]
    public async Task Send_TransportTakesTheMessage_IsNotCutWhenTheClockMovesOn()
    {
        // Given a transport that takes every frame
        var clock = new WatchedClock();
        var transcript = new Transcript(clock);
        await using var transport = new StallingStream(acceptWrites: int.MaxValue);
        var connection = Connect(transport, transcript, () => { });

        // When a message is sent and much more than the send timeout passes afterwards
        var sent = await connection.SendTextAsync("fine").WaitAsync(TestClient.DefaultTimeout);
        clock.Advance(SendTimeout * 10);

        // Then the connection stays open
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.True);
            Assert.That(connection.IsOpen, Is.True);
            Assert.That(connection.Ended, Is.Null);
        }
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void SendTimeout_NotPositive_IsRejected(int seconds)
    {
        var options = new MockHostOptions();

        Assert.That(() => options.SendTimeout = TimeSpan.FromSeconds(seconds), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void SendTimeout_Default_IsFiveSeconds()
    {
        Assert.That(new MockHostOptions().SendTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    /// <summary>Waits until the send is stuck on the transport and waiting out its timeout, so advancing the clock cuts it.</summary>
    private static async Task StuckAsync(StallingStream transport, WatchedClock clock)
    {
        await transport.Stalled.WaitAsync(TestClient.DefaultTimeout);
        await clock.TimerSetAsync(SendTimeout);
    }

    private static MockConnection Connect(Stream transport, Transcript transcript, Action abort)
    {
        var socket = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        return new MockConnection(1, "test", "/test", "", socket, transcript, ex => Assert.Fail($"mock fault: {ex}"), abort, SendTimeout);
    }

    /// <summary>
    /// The server's side of a connection to a client that stopped reading: the first <c>acceptWrites</c> writes complete,
    /// later ones never do (until the stream is disposed, as an aborted socket is). Reads wait forever: the client says nothing.
    /// </summary>
    private sealed class StallingStream(int acceptWrites) : Stream
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _writes;

        /// <summary>
        /// Completes when the first write that will never complete arrives: every frame before it has been taken, so a
        /// test that advances the clock after this (and after the send's timer is set) cuts a send that is truly stuck.
        /// </summary>
        public Task Stalled => _stalled.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _writes) <= acceptWrites)
            {
                return ValueTask.CompletedTask;
            }

            _stalled.TrySetResult();
            return new ValueTask(Disposed());
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _disposed.Task.WaitAsync(cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        // As Kestrel's stream: nothing is buffered here, so a flush completes at once (the base class's runs on the pool).
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult();
            base.Dispose(disposing);
        }

        private async Task Disposed()
        {
            await _disposed.Task;
            throw new ObjectDisposedException(nameof(StallingStream));
        }
    }
}
