using System.Diagnostics;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;

namespace Conformance.Cli.Commands;

/// <summary>
/// Progress of a run on stderr. On a terminal: a line per finished scenario, under a status line redrawn in place
/// (done / running / left, elapsed, the scenarios running now). When stderr is not a terminal, or <c>CI</c> is set (CI
/// logs keep every byte, so a redrawn line would be noise there): plain lines only, each with the count done so far.
/// </summary>
internal sealed class Progress : IDisposable
{
    private const string ClearLine = "\r\u001b[2K";
    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly int _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _running = [];
    private readonly Lock _gate = new();
    private readonly Timer? _timer;
    private int _done;
    private bool _disposed;

    public Progress(TextWriter output, bool live, int total)
    {
        _out = output;
        _live = live;
        _total = total;
        if (live)
        {
            _timer = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Live on an interactive stderr outside CI, plain lines otherwise.</summary>
    public static Progress ForConsole(int total) =>
        new(Console.Error, live: !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), total);

    public void Started(Scenario scenario)
    {
        lock (_gate)
        {
            _running.Add(scenario.Id);
            DrawStatus();
        }
    }

    public void Completed(ScenarioResult result)
    {
        lock (_gate)
        {
            _running.Remove(result.Scenario.Id);
            _done++;
            var line = $"  [{_done}/{_total}] {result.Verdict,-7} {result.Scenario.Id} ({result.Duration.TotalSeconds:0.00}s)";
            _out.Write(_live ? ClearLine + line + "\n" : line + "\n");
            DrawStatus();
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            _disposed = true;
            if (_live)
            {
                _out.Write(ClearLine);
            }

            _out.Flush();
        }
    }

    /// <summary>The status line's text: <c>12/34 done, 2 running, 20 left, 0:23 elapsed: a, b</c>.</summary>
    public string Status()
    {
        var left = _total - _done - _running.Count;
        var elapsed = _clock.Elapsed;
        return $"{_done}/{_total} done, {_running.Count} running, {left} left, {(int)elapsed.TotalMinutes}:{elapsed.Seconds:00} elapsed" +
            (_running.Count > 0 ? ": " + string.Join(", ", _running) : "");
    }

    private static int Width()
    {
        try
        {
            return Math.Max(40, Console.WindowWidth - 1);
        }
        catch (IOException)
        {
            return 120;
        }
    }

    private void Redraw()
    {
        lock (_gate)
        {
            DrawStatus();
        }
    }

    private void DrawStatus()
    {
        if (!_live || _disposed)
        {
            return;
        }

        var status = Status();
        var width = Width();
        _out.Write(ClearLine + (status.Length > width ? status[..(width - 1)] + "…" : status));
        _out.Flush();
    }
}
