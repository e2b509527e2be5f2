namespace Conformance.NUnit;

/// <summary>
/// Names the client under test for every conformance case in an assembly or fixture, and the client features it has:
/// <c>[assembly: ConformanceClient("node bot.js", Features = ["rest-login", "chat"])]</c>. A <c>ConformanceClient</c>
/// test parameter (runsettings or <c>dotnet test -- TestRunParameters.Parameter(name="ConformanceClient", value="...")</c>)
/// or the <c>CONFORMANCE_CLIENT</c> environment variable takes precedence, so CI can point the same tests at another
/// build; likewise <c>ConformanceFeatures</c> and <c>CONFORMANCE_FEATURES</c> (comma-separated) for the features, and
/// <c>ConformanceProfile</c> and <c>CONFORMANCE_PROFILE</c> for the profile.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class, AllowMultiple = false)]
public sealed class ConformanceClientAttribute(string command) : Attribute
{
    public string Command { get; } = command;

    /// <summary>Working directory of the client process. Default: the test's working directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Folder of verified snapshots; null (the default) skips snapshot checks.</summary>
    public string? Snapshots { get; init; }

    /// <summary>
    /// Client features the client has (<c>conformance list</c> shows each protocol's); a scenario that requires one not
    /// listed is ignored with the reason. Default: none.
    /// </summary>
    public string[] Features { get; init; } = [];

    /// <summary>
    /// The protocol profile (dialect) the client speaks, e.g. <c>gateway-v1</c> (<c>conformance list</c> shows each
    /// protocol's); scenarios pinned to another are ignored with the reason. Default: each protocol's default.
    /// </summary>
    public string? Profile { get; init; }
}
