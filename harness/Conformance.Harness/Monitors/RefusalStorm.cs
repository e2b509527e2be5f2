using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Monitors;

/// <summary>
/// A client hammering a server that refused it: more than <see cref="Limit"/> refused requests (upgrades or REST calls)
/// inside any one second. Credentials do not change by themselves, so a client should back off or give up.
/// </summary>
internal static class RefusalStorm
{
    public const int Limit = 5;

    /// <summary>The refusals that came with <see cref="Limit"/> others in the second before them, in order.</summary>
    public static List<TranscriptEntry> Find(IEnumerable<TranscriptEntry> refused)
    {
        var ordered = refused.OrderBy(e => e.Index).ToList();
        return [.. ordered.Where((e, i) => i >= Limit && e.At - ordered[i - Limit].At < TimeSpan.FromSeconds(1))];
    }
}
