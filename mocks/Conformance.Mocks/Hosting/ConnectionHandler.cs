using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// A protocol's default behaviour for one connection. The host records every frame before calling
/// <see cref="OnFrameAsync"/>, so a handler never has to record anything itself.
/// </summary>
public abstract class ConnectionHandler
{
    /// <summary>Called once the upgrade is accepted; typically sends the welcome.</summary>
    public virtual Task OnOpenedAsync(MockConnection connection) => Task.CompletedTask;

    /// <summary>Called for every whole message the client sends, in order.</summary>
    public virtual Task OnFrameAsync(MockConnection connection, FrameRecorded frame) => Task.CompletedTask;

    /// <summary>Called once the connection has ended, however it ended.</summary>
    public virtual Task OnClosedAsync(MockConnection connection) => Task.CompletedTask;
}

/// <summary>The behaviour of a scripted mock's connections (<see cref="MockHostOptions.Scripted"/>): none.</summary>
internal sealed class SilentHandler : ConnectionHandler
{
    public static SilentHandler Instance { get; } = new();
}
