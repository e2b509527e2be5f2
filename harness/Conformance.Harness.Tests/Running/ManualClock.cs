namespace Conformance.Harness.Tests.Running;

/// <summary>A clock tests move by hand, so timing rules are checked on exact, made-up times.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;

    public void AdvanceTo(TimeSpan at) => _ticks = at.Ticks;
}
