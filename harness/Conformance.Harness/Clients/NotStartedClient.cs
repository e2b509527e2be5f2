namespace Conformance.Harness.Clients;

/// <summary>The client before it is started: it has not exited, and stopping it does nothing.</summary>
internal sealed class NotStartedClient : IClientUnderTest
{
    public static readonly NotStartedClient Instance = new();

    private NotStartedClient()
    {
    }

    public Task<int> Exited { get; } = new TaskCompletionSource<int>().Task;

    public bool HasExited => false;

    public CancellationToken ExitedToken => CancellationToken.None;

    public string Name => "not started";

    public Task StopAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
