using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Running;

/// <summary>
/// A scenario's <c>requires:</c> against the features the user declared: a scenario whose requirement is not
/// declared is not run (no mock, no client process) and ends Skipped with the reason.
/// </summary>
internal static class Requirements
{
    /// <summary>Why <paramref name="scenario"/> cannot be run for a client with <paramref name="declared"/> features; null when it can.</summary>
    public static string? Unmet(Scenario scenario, IProtocolModule module, IReadOnlySet<string> declared)
    {
        var missing = scenario.Requires.Where(f => !declared.Contains(f)).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var described = missing.Select(name => module.Features.FirstOrDefault(f => f.Name == name) is { } feature
            ? $"{name} ({Sentence(feature.Description)})"
            : name);
        // --features replaces the declared set, so the hint keeps what is already declared; the module's order first.
        var order = module.Features.Select(f => f.Name).ToList();
        var list = string.Join(",", declared.Union(missing, StringComparer.Ordinal)
            .OrderBy(n => order.IndexOf(n) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(n => n, StringComparer.Ordinal));
        return $"requires client feature{(missing.Count > 1 ? "s" : "")} {string.Join(" and ", described)}; " +
            $"declare {(missing.Count > 1 ? "them" : "it")} with --features {list}";
    }

    /// <summary>
    /// The profile <paramref name="scenario"/> runs under for a client speaking <paramref name="spoken"/> (null: the
    /// protocol's default), or null with the reason when the scenario is pinned to another dialect.
    /// </summary>
    public static (ProtocolProfile? Profile, string? Unmet) Profile(Scenario scenario, IProtocolModule module, string? spoken)
    {
        var client = spoken is null ? module.Default()
            : module.FindProfile(spoken) ?? throw new ArgumentException(module.UnknownProfile(spoken), nameof(spoken));
        if (scenario.Profile is not { } pinned || pinned == client.Name)
        {
            return (client, null);
        }

        var hint = pinned == module.Default().Name ? "run without --profile" : $"run with --profile {pinned}";
        return (null, $"written for the {pinned} profile of {module.Id}, and the client speaks {client.Name}; {hint} to judge it");
    }

    /// <summary>The result of a scenario that was not run.</summary>
    public static ScenarioResult Skipped(Scenario scenario, string reason) =>
        new(scenario, Verdict.Skipped, [], [], [], [], TimeSpan.Zero) { SkipReason = reason };

    /// <summary>A description as a clause inside parentheses: lower-case first letter, no closing full stop.</summary>
    private static string Sentence(string description) =>
        description.Length == 0 ? description : char.ToLowerInvariant(description[0]) + description[1..].TrimEnd('.');
}
