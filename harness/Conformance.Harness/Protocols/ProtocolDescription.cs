namespace Conformance.Harness.Protocols;

/// <summary>
/// A protocol in words, for people writing scenarios: the scenario schema (and the editors that read it) take every
/// protocol-specific description from here. The lists themselves stay on the module (<see cref="IProtocolModule.Endpoints"/>,
/// <see cref="IProtocolModule.ClientVariables"/>); each name there needs its sentence here, or the schema cannot be
/// generated and says which one is missing.
/// </summary>
/// <param name="Title">What the service is called, e.g. <c>LISTEN.moe gateway v2</c>.</param>
/// <param name="Endpoints">Each endpoint name with its path and what it serves.</param>
/// <param name="Templates">What the send templates render, in a sentence or two.</param>
/// <param name="ClientVariables">Each of the protocol's own client variables with what it holds (empty when it has none).</param>
public sealed record ProtocolDescription(
    string Title,
    IReadOnlyDictionary<string, string> Endpoints,
    string Templates,
    IReadOnlyDictionary<string, string> ClientVariables);
