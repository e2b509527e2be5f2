namespace Conformance.NUnit;

/// <summary>
/// Names the client under test for every conformance case in an assembly or fixture:
/// <c>[assembly: ConformanceClient("node bot.js")]</c>. A <c>ConformanceClient</c> test parameter (runsettings or
/// <c>dotnet test -- TestRunParameters.Parameter(name="ConformanceClient", value="...")</c>) or the
/// <c>CONFORMANCE_CLIENT</c> environment variable takes precedence, so CI can point the same tests at another build.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class, AllowMultiple = false)]
public sealed class ConformanceClientAttribute(string command) : Attribute
{
    public string Command { get; } = command;

    /// <summary>Working directory of the client process. Default: the test's working directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Folder of verified snapshots; null (the default) skips snapshot checks.</summary>
    public string? Snapshots { get; init; }
}
