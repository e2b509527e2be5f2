using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Protocols;

/// <summary>
/// A dialect of a protocol that a real server spoke: a named set of mock options (the same keys a scenario sets under
/// <c>mock:</c>) which make the mock, and the monitors that read its options, behave as that server did. A client is
/// written for one dialect; <c>profile:</c> in a scenario says which one the scenario is written for, and
/// <c>--profile</c> which one the client under test speaks.
/// </summary>
/// <param name="Name">What scenarios and the CLI write, e.g. <c>gateway-v1</c>.</param>
/// <param name="Summary">What differs from the default profile, in a sentence or two.</param>
/// <param name="Source">The public document the dialect comes from (repository, file, commit or section).</param>
/// <param name="Options">Mock option names (camelCase) and their values as a scenario writes them; empty for the default.</param>
public sealed record ProtocolProfile(string Name, string Summary, string Source, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>The profiles of a protocol that has no dialects: one, <c>default</c>, which sets nothing.</summary>
    public static IReadOnlyList<ProtocolProfile> OnlyDefault { get; } =
        [new("default", "The protocol as its mock speaks it by default.", "the protocol's documents", new Dictionary<string, string>())];

    /// <summary>The profile's options as <c>mock:</c> settings, marked with the profile's name for error messages.</summary>
    public IEnumerable<MockSetting> Settings =>
        Options.Select(o => new MockSetting(o.Key, o.Value, null, new SourceMark($"profile {Name}", 0, 0)));
}

/// <summary>Finding a protocol's profiles; the first a module lists is its default, under which the built-in suite runs.</summary>
public static class ProtocolProfiles
{
    /// <summary>The profile a run uses when none is named: the module's first.</summary>
    public static ProtocolProfile Default(this IProtocolModule module) => module.Profiles[0];

    /// <summary>The profile named <paramref name="name"/>, or null.</summary>
    public static ProtocolProfile? FindProfile(this IProtocolModule module, string name) =>
        module.Profiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>The profile names as an error message lists them.</summary>
    public static string ProfileNames(this IProtocolModule module) => string.Join(", ", module.Profiles.Select(p => p.Name));

    /// <summary>The error for a profile <paramref name="module"/> does not have, listing those it has.</summary>
    public static string UnknownProfile(this IProtocolModule module, string name) =>
        $"unknown profile '{name}' for {module.Id} (known: {module.ProfileNames()})";
}
