using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Stubs;

/// <summary>
/// A folder of WireMock mapping files (<c>--mappings dir/</c>): every <c>*.json</c> under it, in path order, each one
/// mapping, a list, or an admin export (<c>{ "mappings": [...] }</c>), in WireMock's JSON shape as scenario stubs use it.
/// Their stubs come after a scenario's own; a file WireMock.Net cannot take is an error at its line and column.
/// </summary>
public static class MappingFiles
{
    public static (IReadOnlyList<HttpStub> Stubs, IReadOnlyList<ScenarioError> Errors) Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return ([], [new ScenarioError(new SourceMark(directory, 1, 1), "no such folder of WireMock mapping files")]);
        }

        var stubs = new List<HttpStub>();
        var errors = new List<ScenarioError>();
        var loader = new ScenarioLoader(Specs.Default);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(directory, file);
            var (read, problems) = loader.LoadMappings(file, File.ReadAllText(file));
            // A stub from a file is named by the file (and its own name), as the transcript shows it.
            stubs.AddRange(read.Select(s => s with { Name = $"stub {name}" + (s.Name.StartsWith("stub at line", StringComparison.Ordinal) ? $":{s.Mark.Line}" : $" ({s.Name})") }));
            errors.AddRange(problems);
        }

        return (stubs, errors);
    }
}
