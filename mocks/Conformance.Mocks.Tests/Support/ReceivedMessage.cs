using System.Net.WebSockets;
using System.Text;

namespace Conformance.Mocks.Tests;

/// <summary>One whole message as the client received it, and how many WebSocket frames carried it.</summary>
internal sealed record ReceivedMessage(WebSocketMessageType Type, byte[] Payload, int Fragments)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}
