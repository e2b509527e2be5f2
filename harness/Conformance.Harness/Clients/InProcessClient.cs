using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Clients;

/// <summary>
/// What an in-process client is given: the same variables a process gets (<c>CONFORMANCE_URL</c>, ...), and a way to
/// write output lines into the transcript, as a process's stdout and stderr are.
/// </summary>
public sealed class InProcessClientContext(IReadOnlyDictionary<string, string> environment, Transcript transcript)
{
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    /// <summary>A variable, or null when withheld or not set.</summary>
    public string? this[string name] => Environment.GetValueOrDefault(name);

    public void WriteLine(string line) => transcript.Append(new ProcessOutput(OutputStream.Stdout, line));

    public void WriteError(string line) => transcript.Append(new ProcessOutput(OutputStream.Stderr, line));
}

/// <summary>
/// A client under test that is C# code in the harness's own process: engine tests and users' in-process clients run a
/// scenario without spawning anything. It ends when its delegate returns (exit code 0), throws (1, the exception on
/// stderr) or is stopped (its token fires; it gets the grace period to return).
/// </summary>
public sealed class InProcessClient : IClientUnderTest
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _exitedSignal = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Transcript _transcript;
    private readonly TimeSpan _grace;
    private bool _stopping;

    private InProcessClient(Transcript transcript, TimeSpan grace, string name)
    {
        _transcript = transcript;
        _grace = grace;
        Name = name;
    }

    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public CancellationToken ExitedToken => _exitedSignal.Token;

    public string Name { get; }

    public static InProcessClient Start(ClientSpec spec, IReadOnlyDictionary<string, string> environment, Transcript transcript)
    {
        var client = new InProcessClient(transcript, spec.GracePeriod, spec.Command);
        transcript.Append(new ProcessStarted(spec.Command, 0));
        var context = new InProcessClientContext(environment, transcript);
        _ = Task.Run(() => client.RunAsync(spec.InProcess!, context));
        return client;
    }

    public async Task StopAsync()
    {
        _stopping = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (await Task.WhenAny(Exited, Task.Delay(_grace)).ConfigureAwait(false) != Exited)
        {
            throw new TimeoutException($"The in-process client '{Name}' did not return within {_grace.TotalSeconds:0.#} s of being stopped.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported by the run that owned the client; dispose must not throw.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(Func<InProcessClientContext, CancellationToken, Task> body, InProcessClientContext context)
    {
        var code = 0;
        try
        {
            await body(context, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the harness: a clean exit.
        }
        catch (Exception ex)
        {
            code = 1;
            foreach (var line in ex.ToString().Split('\n'))
            {
                context.WriteError(line.TrimEnd('\r'));
            }
        }

        _transcript.Append(new ProcessExited(code, _stopping, Killed: false));
        _exited.TrySetResult(code);
        await _exitedSignal.CancelAsync().ConfigureAwait(false);
    }
}
