using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;

namespace Conformance.Testcontainers;

/// <summary>
/// What a <see cref="ConformanceBuilder"/> has been told beside the container settings: the protocol to serve, a scenario
/// file whose <c>mock:</c> settings apply, mock options, and whether the container shares the host's network. Immutable;
/// each <c>With...</c> call merges a new one over the old.
/// </summary>
public sealed class ConformanceConfiguration : ContainerConfiguration
{
    /// <summary>A part configuration; unset members leave the ones it is merged over as they are.</summary>
    public ConformanceConfiguration(
        string? protocol = null,
        string? scenario = null,
        IReadOnlyList<KeyValuePair<string, string>>? mockOptions = null,
        bool? hostNetwork = null)
    {
        Protocol = protocol;
        Scenario = scenario;
        MockOptions = mockOptions ?? [];
        HostNetworkSetting = hostNetwork;
    }

    /// <summary>Copies the container settings of <paramref name="resourceConfiguration"/>.</summary>
    public ConformanceConfiguration(IResourceConfiguration<CreateContainerParameters> resourceConfiguration)
        : base(resourceConfiguration)
    {
        MockOptions = [];
    }

    /// <summary>Copies the container settings of <paramref name="resourceConfiguration"/>.</summary>
    public ConformanceConfiguration(IContainerConfiguration resourceConfiguration)
        : base(resourceConfiguration)
    {
        MockOptions = [];
    }

    /// <summary>A copy of <paramref name="resourceConfiguration"/>.</summary>
    public ConformanceConfiguration(ConformanceConfiguration resourceConfiguration)
        : this(new ConformanceConfiguration(), resourceConfiguration)
    {
    }

    /// <summary><paramref name="newValue"/> merged over <paramref name="oldValue"/>; mock options accumulate in order.</summary>
    public ConformanceConfiguration(ConformanceConfiguration oldValue, ConformanceConfiguration newValue)
        : base(oldValue, newValue)
    {
        Protocol = newValue.Protocol ?? oldValue.Protocol;
        Scenario = newValue.Scenario ?? oldValue.Scenario;
        MockOptions = [.. oldValue.MockOptions, .. newValue.MockOptions];
        HostNetworkSetting = newValue.HostNetworkSetting ?? oldValue.HostNetworkSetting;
    }

    /// <summary>The protocol id passed to <c>conformance serve</c>, e.g. <c>listenmoe</c>. Required.</summary>
    public string? Protocol { get; }

    /// <summary>Full path of the scenario file on this machine, copied into the container. Default: none.</summary>
    public string? Scenario { get; }

    /// <summary>Mock options as <c>name=value</c> pairs, in the order given; a later one wins. Default: none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> MockOptions { get; }

    /// <summary>Whether the container shares the engine host's network (no published ports). Default: false.</summary>
    public bool HostNetwork => HostNetworkSetting ?? false;

    private bool? HostNetworkSetting { get; }
}
