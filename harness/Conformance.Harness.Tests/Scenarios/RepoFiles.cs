namespace Conformance.Harness.Tests.Scenarios;

/// <summary>
/// Files of the repository the scenario tests read, found by walking up from the test output folder to the folder
/// holding <c>Conformance.sln</c>, so the tests see the files as they are in the work tree rather than copies.
/// </summary>
internal static class RepoFiles
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);

    public static string Root => RootFolder.Value;

    public static string SchemaPath => Path.Combine(Root, "specs", "scenario.schema.json");

    public static string MalformedFolder => Path.Combine(Root, "harness", "Conformance.Harness.Tests", "ScenarioFiles", "malformed");

    /// <summary>
    /// Every built-in scenario: <c>specs/&lt;protocol&gt;/scenarios/**/*.yaml</c> and the profiles' own,
    /// <c>specs/&lt;protocol&gt;/profiles/**/*.yaml</c>, sorted.
    /// </summary>
    public static IReadOnlyList<string> BuiltInScenarios() =>
        [
            .. Directory.EnumerateDirectories(Path.Combine(Root, "specs"))
                .SelectMany(protocol => new[] { Path.Combine(protocol, "scenarios"), Path.Combine(protocol, "profiles") })
                .Where(Directory.Exists)
                .SelectMany(folder => Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories))
                .Order(StringComparer.Ordinal),
        ];

    /// <summary>The malformed corpus: one problem per file, its loader output in a sibling <c>.expected.txt</c>.</summary>
    public static IReadOnlyList<string> MalformedScenarios() =>
        [.. Directory.EnumerateFiles(MalformedFolder, "*.yaml").Order(StringComparer.Ordinal)];

    public static string Malformed(string name) => Path.Combine(MalformedFolder, name + ".yaml");

    /// <summary>The expected loader lines for a corpus file, with <c>{file}</c> replaced by <paramref name="yamlPath"/>.</summary>
    public static string[] ExpectedLines(string yamlPath) =>
        [.. File.ReadAllLines(Path.ChangeExtension(yamlPath, ".expected.txt")).Select(line => line.Replace("{file}", yamlPath, StringComparison.Ordinal))];

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder holding Conformance.sln above {TestContext.CurrentContext.TestDirectory}");
    }
}
