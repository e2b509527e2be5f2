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
}
