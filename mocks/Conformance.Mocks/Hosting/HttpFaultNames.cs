namespace Conformance.Mocks.Hosting;

/// <summary>The names WireMock gives the faults (<c>EMPTY_RESPONSE</c>, ...), as scenarios and transcripts write them.</summary>
public static class HttpFaultNames
{
    private static readonly Dictionary<string, HttpFault> ByName = new(StringComparer.Ordinal)
    {
        ["EMPTY_RESPONSE"] = HttpFault.EmptyResponse,
        ["CONNECTION_RESET_BY_PEER"] = HttpFault.ConnectionResetByPeer,
        ["MALFORMED_RESPONSE_CHUNK"] = HttpFault.MalformedResponseChunk,
        ["RANDOM_DATA_THEN_CLOSE"] = HttpFault.RandomDataThenClose,
    };

    /// <summary>Every fault name, in WireMock's order.</summary>
    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static string Of(HttpFault fault) => ByName.First(p => p.Value == fault).Key;

    public static HttpFault? Parse(string name) => ByName.TryGetValue(name, out var fault) ? fault : null;
}
