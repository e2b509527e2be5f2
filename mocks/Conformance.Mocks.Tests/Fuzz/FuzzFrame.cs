using System.Net.WebSockets;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// One client message of a fuzz run: its type and bytes (text frames may hold invalid UTF-8), and how many WebSocket
/// frames carry it (1: unfragmented; fragments may be empty).
/// </summary>
internal sealed record FuzzFrame(WebSocketMessageType Type, byte[] Payload, int Fragments = 1)
{
    /// <summary>What made it, for the run's tally: <c>bytes</c>, <c>json</c>, <c>mutation</c>, ...</summary>
    public string Source { get; init; } = "";
}
