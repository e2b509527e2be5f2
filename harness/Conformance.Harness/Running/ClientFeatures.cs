using System.Collections.Frozen;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Running;

/// <summary>
/// The client features a user declares (<c>--features rest-login,chat</c>, <c>CONFORMANCE_FEATURES</c>, the NUnit
/// attribute): reading the comma-separated form and checking the names against every protocol's features.
/// </summary>
public static class ClientFeatures
{
    /// <summary>The environment variable read when no <c>--features</c> (or NUnit setting) is given.</summary>
    public const string EnvironmentVariable = "CONFORMANCE_FEATURES";

    /// <summary>No feature declared: the default.</summary>
    public static IReadOnlySet<string> None { get; } = FrozenSet<string>.Empty;

    /// <summary>Every protocol's features, by protocol.</summary>
    public static IEnumerable<(string Protocol, ClientFeature Feature)> Known =>
        ProtocolRegistry.All.SelectMany(m => m.Features.Select(f => (m.Id, f)));

    /// <summary>Names separated by commas (spaces around them ignored, empty entries dropped); null or blank is none.</summary>
    public static IReadOnlySet<string> Parse(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? None
            : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Null when every name is a feature of some protocol; otherwise one message naming the first unknown one, with
    /// a did-you-mean and the known features by protocol.
    /// </summary>
    public static string? Check(IEnumerable<string> declared)
    {
        var known = Known.Select(k => k.Feature.Name).Distinct(StringComparer.Ordinal).ToList();
        var unknown = declared.FirstOrDefault(name => !known.Contains(name, StringComparer.Ordinal));
        if (unknown is null)
        {
            return null;
        }

        var close = Suggest.Closest(unknown, known);
        var byProtocol = ProtocolRegistry.All.Select(m => $"{m.Id}: {(m.Features.Count == 0 ? "none" : string.Join(", ", m.Features.Select(f => f.Name)))}");
        return $"unknown client feature '{unknown}'" + (close is null ? "" : $"; did you mean '{close}'?") + $" (known: {string.Join("; ", byProtocol)})";
    }
}
