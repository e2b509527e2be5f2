using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;
using DescriptionAttribute = System.ComponentModel.DescriptionAttribute;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary>The one option of <see cref="TinyModule"/>.</summary>
public sealed class TinyOptions
{
    [Description("How long the tiny mock waits before greeting.")]
    public TimeSpan GreetDelay { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>An option type whose option has no description.</summary>
public sealed class UndescribedOptions
{
    public int Count { get; set; }
}

/// <summary>An option type whose option is a list, which mock options cannot be.</summary>
public sealed class ListOptions
{
    [Description("Names.")]
    public List<string> Names { get; set; } = [];
}

/// <summary>
/// A protocol the harness does not ship, with one of everything (endpoint, template, option, client feature and
/// variable): what a new protocol module gives the scenario schema. Its mock is never started.
/// </summary>
internal sealed class TinyModule : IProtocolModule
{
    public const string ProtocolId = "tiny";

    public string Id => ProtocolId;

    public ProtocolDescription Description { get; init; } = new(
        "Tiny greeting protocol",
        new Dictionary<string, string>(StringComparer.Ordinal) { ["main"] = "/main, where the tiny mock greets" },
        "greeting: {\"op\":\"greeting\"}.",
        new Dictionary<string, string>(StringComparer.Ordinal) { ["TINY_TOKEN"] = "the token the tiny mock accepts" });

    public IReadOnlyList<string> Endpoints { get; init; } = ["main"];

    public IReadOnlyCollection<string> Templates { get; } = ["greeting"];

    public Type OptionsType { get; init; } = typeof(TinyOptions);

    public IReadOnlyList<IRuleMonitor> Monitors { get; } = [];

    public IReadOnlyList<string> ClientVariables { get; } = ["TINY_TOKEN"];

    public IReadOnlyList<ClientFeature> Features { get; } = [new("wave", "The client waves back.")];

    public object CreateOptions() => Activator.CreateInstance(OptionsType)!;

    public Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) =>
        throw new NotSupportedException("The tiny protocol has a schema, not a mock.");

    public bool IsHeartbeat(FrameRecorded frame) => false;

    public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock) => new Dictionary<string, string>();
}
