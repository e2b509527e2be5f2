using Conformance.Mocks.Hosting;

namespace Conformance.Harness.Running;

/// <summary>
/// How scenarios are run. Defaults: SHOULD rules warn, no snapshots, no client features declared, mocks on 127.0.0.1
/// with ephemeral ports.
/// </summary>
public sealed class RunOptions
{
    /// <summary>Treat broken SHOULD rules as failures.</summary>
    public bool Strict { get; init; }

    /// <summary>Where <c>&lt;scenario-id&gt;.verified.txt</c> snapshots live; null skips snapshot checks.</summary>
    public string? SnapshotDirectory { get; init; }

    /// <summary>Overwrite verified snapshots with what this run produced instead of failing on a difference.</summary>
    public bool AcceptSnapshots { get; init; }

    /// <summary>
    /// How many times a scenario is run again when its only fault is that the machine was too busy to judge timing
    /// (an inconclusive timing rule, Error): a re-run on a calmer moment usually judges it. Default: 1.
    /// </summary>
    public int RerunsWhenTooBusy { get; init; } = 1;

    /// <summary>
    /// The client features the user declared their client has (names from the protocol modules' <c>Features</c>); a
    /// scenario that <c>requires:</c> one not in this set is Skipped without starting the mock or the client.
    /// Default: none. <see cref="ClientFeatures.Parse"/> reads the <c>--features</c> / <c>CONFORMANCE_FEATURES</c> form.
    /// </summary>
    public IReadOnlySet<string> Features { get; init; } = ClientFeatures.None;

    /// <summary>
    /// The protocol profile (dialect) the client under test speaks, by name; null for each protocol's default. Scenarios
    /// that pin no profile run under it; a scenario pinned to another is Skipped.
    /// </summary>
    public string? Profile { get; init; }

    /// <summary>
    /// Seed of scripted randomness (UDP faults without their own seed); the same seed replays the same schedule. Default:
    /// a fresh one per run, recorded in the transcript.
    /// </summary>
    public int? Seed { get; init; }

    public Specs Specs { get; init; } = Specs.Default;

    /// <summary>
    /// HTTP stubs every scenario gets after its own (WireMock mapping files, <c>--mappings dir/</c>,
    /// <see cref="Stubs.MappingFiles"/>). Default: none.
    /// </summary>
    public IReadOnlyList<Scenarios.HttpStub> Mappings { get; init; } = [];

    /// <summary>
    /// The host options of each scenario run's mock: a new object per call, since the runner sets
    /// <see cref="MockHostOptions.Scripted"/> on it from the scenario. Default: loopback, an ephemeral port.
    /// </summary>
    public Func<MockHostOptions> Host { get; init; } = static () => new MockHostOptions();
}
