using System.Reflection;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using NUnit.Framework;

namespace Conformance.NUnit;

/// <summary>
/// Where the client command, its features, its profile and the snapshot folder come from, first found wins: test parameters
/// (<c>ConformanceClient</c>, <c>ConformanceFeatures</c>, <c>ConformanceProfile</c>, <c>ConformanceSnapshots</c>), environment
/// (<c>CONFORMANCE_CLIENT</c>, <c>CONFORMANCE_FEATURES</c>, <c>CONFORMANCE_PROFILE</c>, <c>CONFORMANCE_SNAPSHOTS</c>), then
/// <see cref="ConformanceClientAttribute"/> on the fixture or assembly. <c>CONFORMANCE_ACCEPT=1</c> accepts received snapshots.
/// </summary>
public static class ConformanceSettings
{
    public static ClientSpec Client()
    {
        var attribute = Attribute();
        var command = TestContext.Parameters.Get("ConformanceClient")
            ?? Environment.GetEnvironmentVariable("CONFORMANCE_CLIENT")
            ?? attribute?.Command
            ?? throw new InvalidOperationException(
                "No client under test: set [assembly: ConformanceClient(\"<command>\")], the ConformanceClient test parameter, or CONFORMANCE_CLIENT.");
        return new ClientSpec(command) { WorkingDirectory = attribute?.WorkingDirectory };
    }

    public static RunOptions RunOptions() => new()
    {
        SnapshotDirectory = TestContext.Parameters.Get("ConformanceSnapshots")
            ?? Environment.GetEnvironmentVariable("CONFORMANCE_SNAPSHOTS")
            ?? Attribute()?.Snapshots,
        AcceptSnapshots = Environment.GetEnvironmentVariable("CONFORMANCE_ACCEPT") == "1",
        Strict = TestContext.Parameters.Get("ConformanceStrict", false),
        Features = Features(),
        Profile = TestContext.Parameters.Get("ConformanceProfile")
            ?? Environment.GetEnvironmentVariable("CONFORMANCE_PROFILE")
            ?? Attribute()?.Profile,
    };

    /// <summary>The declared client features; an unknown name throws, listing the known ones.</summary>
    public static IReadOnlySet<string> Features()
    {
        var (declared, source) = TestContext.Parameters.Get("ConformanceFeatures") is { } parameter
            ? (ClientFeatures.Parse(parameter), "the ConformanceFeatures test parameter")
            : Environment.GetEnvironmentVariable(ClientFeatures.EnvironmentVariable) is { } variable
                ? (ClientFeatures.Parse(variable), ClientFeatures.EnvironmentVariable)
                : (ClientFeatures.Parse(string.Join(",", Attribute()?.Features ?? [])), "[ConformanceClient(Features = ...)]");
        return ClientFeatures.Check(declared) is { } unknown ? throw new InvalidOperationException($"{source}: {unknown}") : declared;
    }

    private static ConformanceClientAttribute? Attribute()
    {
        var fixture = TestContext.CurrentContext.Test.ClassName is { } name ? FindType(name) : null;
        return fixture?.GetCustomAttribute<ConformanceClientAttribute>()
            ?? fixture?.Assembly.GetCustomAttribute<ConformanceClientAttribute>();
    }

    private static Type? FindType(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);
}
