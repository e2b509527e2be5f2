using System.Diagnostics;
using System.Globalization;

namespace Conformance.Harness.Monitors;

/// <summary>
/// Watches whether this machine is too busy to judge timing. While any run holds a lease, one background thread wakes
/// every <see cref="Period"/> and records how late it woke and how long a work item then waited for the thread pool
/// (the pool is where the mock reads and timestamps frames), together with Linux's CPU pressure
/// (<c>/proc/pressure/cpu</c>, "some": the share of time at least one runnable task waited for a core) where present.
/// Timing monitors ask it about the window of a violation: a client beat that arrives late while the harness itself
/// could not run on time says nothing about the client.
/// </summary>
public sealed class LoadProbe
{
    /// <summary>How often the probe wakes: 10 ms.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    private const string PressureFile = "/proc/pressure/cpu";
    private const int Capacity = 12_000; // two minutes of samples at 10 ms

    private readonly Lock _gate = new();
    private readonly Sample[] _samples = new Sample[Capacity];
    private readonly bool _hasPressure = File.Exists(PressureFile);
    private int _count;
    private int _next;
    private int _leases;
    private Thread? _thread;

    /// <summary>The probe every run of this process shares; it runs only while leased.</summary>
    public static LoadProbe Shared { get; } = new();

    /// <summary>Starts probing (if not already) until the returned lease is disposed.</summary>
    public IDisposable Lease()
    {
        lock (_gate)
        {
            if (_leases++ == 0 && _thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "conformance load probe", Priority = ThreadPriority.Normal };
                _thread.Start();
            }
        }

        return new Releaser(this);
    }

    /// <summary>
    /// What the probe saw between two <see cref="Stopwatch"/> timestamps: the worst lag of the harness's own timer and
    /// thread pool, and the CPU pressure over the window (null where the kernel does not report it). Null when the
    /// probe has no sample in the window (it was not running).
    /// </summary>
    public LoadReading? Read(long fromTimestamp, long toTimestamp)
    {
        lock (_gate)
        {
            var maxLag = TimeSpan.Zero;
            var samples = 0;
            Sample? first = null;
            Sample? last = null;
            // Include the sample just after the window: a stall inside the window is reported by the first wake after it.
            var until = toTimestamp + Stopwatch.Frequency / 10;
            for (var i = 0; i < _count; i++)
            {
                var sample = _samples[(_next - _count + i + Capacity) % Capacity];
                if (sample.At < fromTimestamp || sample.At > until)
                {
                    continue;
                }

                samples++;
                maxLag = sample.Lag > maxLag ? sample.Lag : maxLag;
                if (sample.PressureMicroseconds >= 0)
                {
                    first ??= sample;
                    last = sample;
                }
            }

            if (samples == 0)
            {
                return null;
            }

            double? pressure = first is { } a && last is { } b && b.At > a.At
                ? Math.Clamp((b.PressureMicroseconds - a.PressureMicroseconds) / 1e6 / Stopwatch.GetElapsedTime(a.At, b.At).TotalSeconds, 0, 1)
                : null;
            return new LoadReading(maxLag, pressure, samples);
        }
    }

    private void Run()
    {
        var tick = 0L;
        while (true)
        {
            lock (_gate)
            {
                if (_leases == 0)
                {
                    _thread = null;
                    return;
                }
            }

            var before = Stopwatch.GetTimestamp();
            Thread.Sleep(Period);
            var woke = Stopwatch.GetTimestamp();
            var sleepLag = Stopwatch.GetElapsedTime(before, woke) - Period;
            // Pressure is a cumulative counter; every fifth wake is often enough to measure it over a window.
            var pressure = _hasPressure && tick++ % 5 == 0 ? ReadPressure() : -1;
            ThreadPool.UnsafeQueueUserWorkItem(
                static state =>
                {
                    var (probe, woke, sleepLag, pressure) = state;
                    var poolLag = Stopwatch.GetElapsedTime(woke);
                    probe.Record(new Sample(woke, sleepLag > poolLag ? sleepLag : poolLag, pressure));
                },
                (this, woke, sleepLag, pressure),
                preferLocal: false);
        }
    }

    private void Record(Sample sample)
    {
        lock (_gate)
        {
            _samples[_next] = sample;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>The "some" line's cumulative stall time in microseconds, or -1 when it cannot be read.</summary>
    private static long ReadPressure()
    {
        try
        {
            foreach (var line in File.ReadLines(PressureFile))
            {
                if (line.StartsWith("some ", StringComparison.Ordinal) && line.LastIndexOf("total=", StringComparison.Ordinal) is var at and >= 0)
                {
                    return long.Parse(line.AsSpan(at + "total=".Length), NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // Not every kernel exposes pressure (containers, other systems): the lag figures still stand.
        }

        return -1;
    }

    private readonly record struct Sample(long At, TimeSpan Lag, long PressureMicroseconds);

    private sealed class Releaser(LoadProbe probe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lock (probe._gate)
                {
                    probe._leases--;
                }
            }
        }
    }
}

/// <summary>What <see cref="LoadProbe"/> saw over a window: the harness's worst scheduling lag and the CPU pressure.</summary>
public sealed record LoadReading(TimeSpan MaxLag, double? CpuPressure, int Samples)
{
    /// <summary>The harness's own timer or thread pool ran this late: it cannot stamp frames to better than this. 20 ms.</summary>
    public static readonly TimeSpan LagLimit = TimeSpan.FromMilliseconds(20);

    /// <summary>Some runnable task waited for a core this share of the time or more. 30 %.</summary>
    public const double PressureLimit = 0.30;

    public bool Overloaded => MaxLag >= LagLimit || CpuPressure >= PressureLimit;

    public override string ToString()
    {
        var lag = string.Create(CultureInfo.InvariantCulture, $"harness timer lag up to {MaxLag.TotalMilliseconds:0}ms (limit {LagLimit.TotalMilliseconds:0}ms)");
        return lag + (CpuPressure is { } p
            ? string.Create(CultureInfo.InvariantCulture, $", CPU pressure {p:P0} (limit {PressureLimit:P0})")
            : ", CPU pressure not reported");
    }
}
