using System.Diagnostics;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Clients;

/// <summary>
/// The client under test as a child process: started in its own session with the contract's environment, its output
/// lines recorded in the transcript (the first and last 64 KiB of each stream, <see cref="OutputCapture"/>), and on
/// <see cref="StopAsync"/> the whole process tree stopped — SIGTERM, then SIGKILL after the grace period — so nothing
/// outlives the run.
/// </summary>
public sealed class ClientProcess : IClientUnderTest
{
    private readonly Process _process;
    private readonly Transcript _transcript;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _exitedSignal = new();
    private readonly TimeSpan _grace;

    // In the client's environment, so its descendants are found even when they left its process tree and group.
    private readonly string _tag = Guid.NewGuid().ToString("N");
    private bool _stopping;
    private bool _killed;

    private ClientProcess(Process process, Transcript transcript, TimeSpan grace)
    {
        _process = process;
        _transcript = transcript;
        _grace = grace;
    }

    public int ProcessId => _process.Id;

    public string Name => $"process {_process.Id}";

    /// <summary>Completes with the exit code when the process ends, by itself or stopped.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Fires when the process has ended.</summary>
    public CancellationToken ExitedToken => _exitedSignal.Token;

    /// <summary>
    /// Starts the client with <paramref name="environment"/> on top of the harness's own. Names in
    /// <paramref name="withhold"/> are absent from the client's environment whoever set them (the contract, the
    /// <see cref="ClientSpec"/> or the harness's own environment), and their <c>{url}</c> / <c>{http_url}</c> stay as written.
    /// </summary>
    public static ClientProcess Start(
        ClientSpec spec, IReadOnlyDictionary<string, string> environment, Transcript transcript, IReadOnlyCollection<string>? withhold = null)
    {
        withhold ??= [];
        environment = environment.Where(kv => !withhold.Contains(kv.Key)).ToDictionary(StringComparer.Ordinal);
        var command = environment.Aggregate(spec.Command, (c, kv) => kv.Key switch
        {
            "CONFORMANCE_URL" => c.Replace("{url}", kv.Value, StringComparison.Ordinal),
            "CONFORMANCE_HTTP_URL" => c.Replace("{http_url}", kv.Value, StringComparison.Ordinal),
            _ => c,
        });
        // bash runs a simple command in place of itself, so the exit code is the client's own, not the shell's 143.
        var shell = File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh";
        var info = ProcessTree.IsLinux
            ? new ProcessStartInfo("setsid", [shell, "-c", command])
            : new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh", OperatingSystem.IsWindows() ? ["/c", command] : ["-c", command]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = spec.WorkingDirectory ?? Directory.GetCurrentDirectory();
        foreach (var (name, value) in spec.Environment.Concat(environment))
        {
            info.Environment[name] = value;
        }

        foreach (var name in withhold)
        {
            info.Environment.Remove(name);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var client = new ClientProcess(process, transcript, spec.GracePeriod);
        info.Environment[ProcessTree.TagVariable] = client._tag;
        process.Exited += (_, _) => client.OnExited();
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start the client command '{command}'.");
        }

        transcript.Append(new ProcessStarted(command, process.Id));
        process.StandardInput.Close();
        client.Capture(OutputStream.Stdout, process.StandardOutput.BaseStream, client._stdoutDone);
        client.Capture(OutputStream.Stderr, process.StandardError.BaseStream, client._stderrDone);
        return client;
    }

    /// <summary>Stops the whole process tree: SIGTERM, then SIGKILL once the grace period runs out.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        if (!HasExited)
        {
            Signal(ProcessTree.SigTerm);
            if (await Task.WhenAny(Exited, Task.Delay(_grace)).ConfigureAwait(false) != Exited)
            {
                _killed = true;
                Signal(ProcessTree.SigKill);
            }
        }

        // Children that ignored SIGTERM can outlive a leader that exited; they get no grace.
        if (ProcessTree.IsLinux)
        {
            var left = ProcessTree.Descendants(_process.Id, _tag);
            if (left.Count > 0)
            {
                _killed = true;
                ProcessTree.Signal(_process.Id, ProcessTree.SigKill, _tag);
                // SIGKILL is delivered, not waited for: the run ends once they are gone (or after 2 s, whatever is left).
                for (var waited = 0; waited < 2000 && ProcessTree.Descendants(_process.Id, _tag).Count > 0; waited += 20)
                {
                    await Task.Delay(20).ConfigureAwait(false);
                }
            }
        }

        await Exited.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await Task.WhenAll(_stdoutDone.Task, _stderrDone.Task).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported by the run that owned the process; dispose must not throw.
        }

        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (ProcessTree.IsLinux)
        {
            ProcessTree.Signal(_process.Id, signal, _tag);
        }
        else if (signal == ProcessTree.SigKill || !_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Records <paramref name="source"/> until it ends, then completes <paramref name="done"/> (also when reading fails).</summary>
    private void Capture(OutputStream stream, Stream source, TaskCompletionSource done)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await new OutputCapture(stream, _transcript).RunAsync(source).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The pipe broke or the process was disposed; what was read is recorded.
            }
            finally
            {
                done.TrySetResult();
            }
        });
    }

    private void OnExited()
    {
        // Exited fires once output is drained on most platforms; the exit entry comes after the last line either way.
        _ = Task.Run(async () =>
        {
            await Task.WhenAll(_stdoutDone.Task, _stderrDone.Task).WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default)
                .ConfigureAwait(false);
            var code = _process.ExitCode;
            _transcript.Append(new ProcessExited(code, _stopping, _killed));
            _exited.TrySetResult(code);
            _exitedSignal.Cancel();
        });
    }
}
