namespace Conformance.Mocks.Transcripts;

/// <summary>
/// Append-only, thread-safe record of a run. Every entry is stamped from a monotonic clock when it is
/// appended; readers wait for new entries with <see cref="WaitForAsync"/> instead of polling.
/// </summary>
public sealed class Transcript
{
    private readonly Lock _gate = new();
    private readonly List<TranscriptEntry> _entries = [];
    private readonly TimeProvider _time;
    private readonly long _start;
    // Made only when a reader waits, so appending with nobody waiting allocates nothing but the entry.
    private TaskCompletionSource? _changed;

    public Transcript(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _start = _time.GetTimestamp();
    }

    /// <summary>
    /// The clock of the run: it stamps every entry, and the mocks' timers (welcome delays, keep-alives, periodic track
    /// changes, send timeouts) run on it too, so a test that hands in a fake clock moves all of them at once.
    /// Default: <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider Time => _time;

    /// <summary>Raised after an entry is appended, on the appending thread.</summary>
    public event Action<TranscriptEntry>? Appended;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The time since the transcript started, from the same clock that stamps entries.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_start);

    public T Append<T>(T entry)
        where T : TranscriptEntry
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            entry.At = _time.GetElapsedTime(_start);
            entry.Index = _entries.Count;
            _entries.Add(entry);
            signal = _changed;
            _changed = null;
        }

        signal?.TrySetResult();
        Appended?.Invoke(entry);
        return entry;
    }

    /// <summary>A copy of the entries recorded so far.</summary>
    public IReadOnlyList<TranscriptEntry> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    /// <summary>
    /// Waits for the first entry at or after <paramref name="fromIndex"/> that matches, or returns null when
    /// <paramref name="cancellation"/> fires first.
    /// </summary>
    public async Task<T?> WaitForAsync<T>(int fromIndex, Func<T, bool> match, CancellationToken cancellation)
        where T : TranscriptEntry
    {
        var next = fromIndex;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (; next < _entries.Count; next++)
                {
                    if (_entries[next] is T candidate && match(candidate))
                    {
                        return candidate;
                    }
                }

                changed = (_changed ??= NewSignal()).Task;
            }

            try
            {
                await changed.WaitAsync(cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
