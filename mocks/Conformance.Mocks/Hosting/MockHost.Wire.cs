using Conformance.Mocks.Transcripts;
using Conformance.Mocks.Wire;

namespace Conformance.Mocks.Hosting;

/// <summary>Wire fault settings shared by every WebSocket connection of the host, open now or opened later.</summary>
public sealed partial class MockHost
{
    private volatile WirePolicy? _wirePolicy;

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
