using Conformance.Mocks.Chaos;
using Conformance.Mocks.Transcripts;
using Conformance.Mocks.Wire;

namespace Conformance.Mocks.Hosting;

/// <summary>Wire fault settings and chaos shared by every channel of the host, open now or opened later.</summary>
public sealed partial class MockHost
{
    private volatile WirePolicy? _wirePolicy;
    private volatile ChaosPlan? _chaos;

    /// <summary>
    /// Seeded chaos on every message the mock sends from now on, on WebSocket connections and UDP peers alike (delays,
    /// copies, swaps, drops, resets); null or settings that are <see cref="ChaosSettings.IsOff"/> for none. Each change is
    /// recorded, and so is every event it causes (<see cref="ChaosApplied"/>).
    /// </summary>
    public ChaosSettings? Chaos
    {
        get => _chaos?.Settings;
        set
        {
            _chaos = value is null || value.IsOff ? null : new ChaosPlan(value);
            Transcript.Append(new ChaosSet(value ?? new ChaosSettings(0)));
        }
    }

    /// <summary>The chaos plan UDP sockets consult per datagram.</summary>
    internal ChaosPlan? ChaosPlan => _chaos;

    /// <summary>
    /// How the mock's WebSocket sends go on the wire from now on (fragments, pings between, delays, dribbling, unanswered
    /// closes); null or settings that are <see cref="WireFaultSettings.IsOff"/> for none. Each change is recorded.
    /// </summary>
    public WireFaultSettings? WireFaults
    {
        get => _wirePolicy?.Settings;
        set
        {
            _wirePolicy = value is null || value.IsOff ? null : new WirePolicy(value);
            Transcript.Append(new WireFaultsSet(value ?? new WireFaultSettings(0)));
        }
    }
}
