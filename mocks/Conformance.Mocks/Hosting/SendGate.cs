namespace Conformance.Mocks.Hosting;

/// <summary>
/// The one-writer-at-a-time lock of a connection's sends, with two lanes of waiters: a reply to the client's own frame (a
/// heartbeat ack) goes ahead of everything queued in the normal lane (a backlog of broadcasts or scripted frames), and
/// within a lane sends go out in the order they asked. A reply still waits for the one send in progress, since a
/// WebSocket message cannot be interrupted. With nobody waiting it costs one lock and no allocation.
/// </summary>
internal sealed class SendGate
{
    private readonly Lock _lock = new();
    private Queue<TaskCompletionSource>? _replies;
    private Queue<TaskCompletionSource>? _others;
    private bool _held;

    /// <summary>Sends waiting for the gate, in both lanes.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return (_replies?.Count ?? 0) + (_others?.Count ?? 0);
            }
        }
    }

    /// <summary>Completes when the caller holds the gate; <paramref name="reply"/> puts it in the lane that goes first.</summary>
    public Task WaitAsync(bool reply)
    {
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (reply ? _replies ??= new() : _others ??= new()).Enqueue(waiter);
            return waiter.Task;
        }
    }

    /// <summary>Hands the gate to the first waiting reply, else to the first other waiter, else leaves it free.</summary>
    public void Release()
    {
        TaskCompletionSource? next = null;
        lock (_lock)
        {
            if (!(_replies?.TryDequeue(out next) ?? false) && !(_others?.TryDequeue(out next) ?? false))
            {
                _held = false;
            }
        }

        next?.TrySetResult();
    }
}
