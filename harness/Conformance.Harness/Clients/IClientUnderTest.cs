namespace Conformance.Harness.Clients;

/// <summary>A started client under test: a child process (<see cref="ClientProcess"/>) or in-process code (<see cref="InProcessClient"/>).</summary>
public interface IClientUnderTest : IAsyncDisposable
{
    /// <summary>Completes with the exit code when the client ends, by itself or stopped.</summary>
    Task<int> Exited { get; }

    bool HasExited { get; }

    /// <summary>Fires when the client has ended.</summary>
    CancellationToken ExitedToken { get; }

    /// <summary>What to call it in messages, e.g. <c>process 4242</c>.</summary>
    string Name { get; }

    /// <summary>Stops the client; a <see cref="TimeoutException"/> when it could not be stopped.</summary>
    Task StopAsync();
}
