using System.Text;

namespace Conformance.Harness.Clients;

/// <summary>
/// The environment variables of the client contract that the engine sets for every protocol. Protocol modules add
/// their own (<see cref="Protocols.IProtocolModule.ClientVariables"/>); a scenario may withhold any of them.
/// </summary>
public static class ClientVariables
{
    /// <summary>WebSocket URL of the endpoint the scenario targets.</summary>
    public const string Url = "CONFORMANCE_URL";

    /// <summary>Base URL of the mock's HTTP endpoints.</summary>
    public const string HttpUrl = "CONFORMANCE_HTTP_URL";

    /// <summary>The protocol id.</summary>
    public const string Protocol = "CONFORMANCE_PROTOCOL";

    /// <summary>The scenario id.</summary>
    public const string Scenario = "CONFORMANCE_SCENARIO";

    /// <summary>Every variable the engine sets, in the order the README lists them.</summary>
    public static IReadOnlyList<string> Engine { get; } = [Url, HttpUrl, Protocol, Scenario];

    /// <summary>
    /// The variable that announces a UDP endpoint's <c>udp://127.0.0.1:port</c>: <c>CONFORMANCE_&lt;ENDPOINT&gt;_URL</c>, the
    /// endpoint name upper-cased with every character other than an ASCII letter or digit written <c>_</c>
    /// (<c>audio</c> is <c>CONFORMANCE_AUDIO_URL</c>, <c>voice-1</c> is <c>CONFORMANCE_VOICE_1_URL</c>).
    /// </summary>
    public static string EndpointUrl(string endpoint)
    {
        var name = new StringBuilder("CONFORMANCE_", endpoint.Length + 16);
        foreach (var c in endpoint)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return name.Append("_URL").ToString();
    }
}
