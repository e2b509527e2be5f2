using Conformance.Harness.Monitors;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols;

/// <summary>
/// Everything the engine needs from a protocol, and the only place protocols plug in: its mock, the option type
/// scenarios set under <c>mock:</c>, its endpoints and templates, the monitors that check its rules on every run,
/// which frames are heartbeats (summarised in snapshots), the credentials a client is given, and the optional
/// features a client may have.
/// </summary>
public interface IProtocolModule
{
    /// <summary>Protocol id: <c>listenmoe</c>, <c>plugdj</c>, ...</summary>
    string Id { get; }

    /// <summary>The protocol in words: its title and a sentence per endpoint, for the templates and per client variable.</summary>
    ProtocolDescription Description { get; }

    /// <summary>Endpoint names, the first being where a scenario points the client by default.</summary>
    IReadOnlyList<string> Endpoints { get; }

    /// <summary>Templates a scenario may <c>send</c>.</summary>
    IReadOnlyCollection<string> Templates { get; }

    /// <summary>
    /// The mock's option type; scenario <c>mock:</c> keys are its settable properties in camelCase, described by their
    /// <see cref="System.ComponentModel.DescriptionAttribute"/> and bounded by their
    /// <see cref="System.ComponentModel.DataAnnotations.RangeAttribute"/>; defaults are those of <see cref="CreateOptions"/>.
    /// </summary>
    Type OptionsType { get; }

    IReadOnlyList<IRuleMonitor> Monitors { get; }

    object CreateOptions();

    Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript);

    /// <summary>True for keep-alive frames, which snapshots summarise because their count depends on timing.</summary>
    bool IsHeartbeat(FrameRecorded frame);

    /// <summary>Credentials and other protocol variables a client under test is started with.</summary>
    IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock);

    /// <summary>The names <see cref="ClientEnvironment"/> sets; a scenario may <c>withhold:</c> these and the engine's own.</summary>
    IReadOnlyList<string> ClientVariables { get; }

    /// <summary>
    /// What a client of this protocol may do or leave undone without breaking a rule, each with one sentence; a
    /// scenario that needs one lists it under <c>requires:</c>. Empty when every scenario judges every client.
    /// </summary>
    IReadOnlyList<ClientFeature> Features { get; }

    /// <summary>
    /// The dialects real servers of the protocol spoke, the default (under which the built-in suite runs) first; each
    /// sets mock options, which the monitors read too. Default: one, <c>default</c>, which sets nothing.
    /// </summary>
    IReadOnlyList<ProtocolProfile> Profiles => ProtocolProfile.OnlyDefault;

    /// <summary>
    /// The rules the steps of a scenario written by <c>conformance record</c> are judged on; null (the default) when the
    /// protocol cannot be recorded.
    /// </summary>
    Recording.RecordingRules? Recording => null;

    /// <summary>Replaces this protocol's volatile values (clock readings clients send) with stable names in snapshots.</summary>
    string Scrub(string snapshot) => snapshot;

    /// <summary>
    /// How snapshots show a UDP datagram, when the protocol can decode it (a packet type and its fields); null (the
    /// default) shows its size and hex.
    /// </summary>
    string? DescribeDatagram(DatagramRecorded datagram) => null;

    /// <summary>
    /// Named checks of a datagram the protocol knows (e.g. "sealed": it opens with the session's key), for
    /// <c>expect_datagram</c>'s <c>match:</c>. Default: none.
    /// </summary>
    IReadOnlyList<DatagramMatcher> DatagramMatchers => [];

    /// <summary>
    /// The names of the UDP endpoints the mock opens at run time (one per podcast), which scenarios may name though they
    /// are not in <see cref="Endpoints"/>; null (the default) when it opens none.
    /// </summary>
    DynamicEndpointNames? DynamicUdpEndpoints => null;

    /// <summary>Whether <paramref name="name"/> is an endpoint of the protocol, declared or opened at run time.</summary>
    bool IsEndpoint(string name) => Endpoints.Contains(name) || DynamicUdpEndpoints?.Matches(name) == true;

    /// <summary>The endpoint names as an error message lists them, a run-time form such as <c>podcast-&lt;id&gt;</c> last.</summary>
    IReadOnlyList<string> EndpointNames => DynamicUdpEndpoints is { } dynamic ? [.. Endpoints, dynamic.Form] : Endpoints;
}

/// <summary>A protocol's named check of a datagram, given the running mock (which knows keys and sessions).</summary>
public sealed record DatagramMatcher(string Name, string Description, Func<DatagramRecorded, ProtocolMock, bool> Matches);
