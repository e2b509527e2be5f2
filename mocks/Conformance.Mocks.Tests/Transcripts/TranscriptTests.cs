using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary><see cref="Transcript"/>: append-only, ordered, thread-safe, and awaitable.</summary>
[Category("transcript")]
public sealed class TranscriptTests
{
    [Test]
    public async Task WaitFor_EntryAppendedLater_ReturnsIt()
    {
        // Given
        var transcript = new Transcript();
        transcript.Append(new StepStarted(1, "before"));
        using var timeout = Timeouts.Wait();
        var waiting = transcript.WaitForAsync<StepStarted>(0, s => s.Step == 2, timeout.Token);

        // When
        var appended = await Task.Run(() => transcript.Append(new StepStarted(2, "later")));
        var found = await waiting;

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.SameAs(appended));
            Assert.That(found!.Index, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task WaitFor_EntryAlreadyThere_ReturnsItWithoutWaiting()
    {
        // Given
        var transcript = new Transcript();
        var entry = transcript.Append(new MockFault("m", "d"));

        // When
        var found = await transcript.WaitForAsync<MockFault>(0, _ => true, CancellationToken.None);

        // Then
        Assert.That(found, Is.SameAs(entry));
    }

    [Test]
    public async Task WaitFor_FromIndex_SkipsEarlierMatches()
    {
        // Given
        var transcript = new Transcript();
        transcript.Append(new StepStarted(1, "first"));
        var second = transcript.Append(new StepStarted(2, "second"));

        // When
        var found = await transcript.WaitForAsync<StepStarted>(1, _ => true, CancellationToken.None);

        // Then
        Assert.That(found, Is.SameAs(second));
    }

    [Test]
    public async Task WaitFor_Cancelled_ReturnsNull()
    {
        // Given
        var transcript = new Transcript();
        using var cancellation = new CancellationTokenSource();
        var waiting = transcript.WaitForAsync<MockFault>(0, _ => true, cancellation.Token);
        transcript.Append(new StepStarted(1, "not a fault"));

        // When
        await cancellation.CancelAsync();
        var found = await waiting;

        // Then
        Assert.That(found, Is.Null);
    }

    [Test]
    public async Task Append_FromManyThreads_KeepsIndexUniqueAndOrderedWithTime()
    {
        // Given
        var transcript = new Transcript();
        const int threads = 8;
        const int perThread = 500;

        // When
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                transcript.Append(new StepStarted(t * perThread + i, "concurrent"));
            }
        })));

        // Then
        var entries = transcript.Snapshot();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries.Select(e => e.Index), Is.EqualTo(Enumerable.Range(0, threads * perThread)));
            Assert.That(entries.Select(e => e.At), Is.Ordered);
            Assert.That(entries.Cast<StepStarted>().Select(s => s.Step), Is.Unique);
            Assert.That(transcript.Count, Is.EqualTo(threads * perThread));
        }
    }

    [Test]
    public void Append_RaisesAppendedWithTheStampedEntry()
    {
        // Given
        var transcript = new Transcript();
        transcript.Append(new StepStarted(1, "first"));
        TranscriptEntry? raised = null;
        transcript.Appended += e => raised = e;

        // When
        var entry = transcript.Append(new StepStarted(2, "second"));

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raised, Is.SameAs(entry));
            Assert.That(raised!.Index, Is.EqualTo(1));
        }
    }

    [Test]
    public void Snapshot_IsACopy_NotALiveView()
    {
        // Given
        var transcript = new Transcript();
        transcript.Append(new StepStarted(1, "first"));
        var snapshot = transcript.Snapshot();

        // When
        transcript.Append(new StepStarted(2, "second"));

        // Then
        Assert.That(snapshot, Has.Count.EqualTo(1));
    }
}
