using Microsoft.Extensions.Time.Testing;

namespace Conformance.Mocks.Tests;

/// <summary>
/// A fake clock that also tells when a timer is set on it. Advancing a fake clock before the mock has started waiting
/// would leave that wait pending forever, so a test first awaits <see cref="TimerSetAsync"/>, then advances.
/// </summary>
internal sealed class WatchedClock : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        TaskCompletionSource changed;
        lock (_gate)
        {
            _dueTimes.Add(dueTime);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return timer;
    }

    /// <summary>How many timers have been set on this clock so far.</summary>
    public int TimersSet
    {
        get
        {
            lock (_gate)
            {
                return _dueTimes.Count;
            }
        }
    }

    /// <summary>Completes once more than <paramref name="seen"/> timers have been set; the caller bounds the wait.</summary>
    public async Task MoreTimersThanAsync(int seen)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_dueTimes.Count > seen)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed;
        }
    }

    /// <summary>Waits (a real wait, bounded by <see cref="TestClient.DefaultTimeout"/>) until a timer due in <paramref name="due"/> has been set.</summary>
    public async Task TimerSetAsync(TimeSpan due)
    {
        using var timeout = Timeouts.Wait();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_dueTimes.Contains(due))
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No timer due in {due} was set within {TestClient.DefaultTimeout}; set so far: {string.Join(", ", _dueTimes)}.");
            }
        }
    }
}
