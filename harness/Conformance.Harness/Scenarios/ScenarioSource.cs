namespace Conformance.Harness.Scenarios;

/// <summary>Finds and loads scenario files: single files, folders (recursively, <c>*.yaml</c> / <c>*.yml</c>), or a protocol's built-in suite.</summary>
public static class ScenarioSource
{
    public static IReadOnlyList<string> Files(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }

        return files;
    }

    /// <summary>Loads every file, collecting all errors (a missing file is an error at 1:1) rather than stopping at the first.</summary>
    public static (IReadOnlyList<Scenario> Scenarios, IReadOnlyList<ScenarioError> Errors) Load(IEnumerable<string> files, Specs specs)
    {
        var scenarios = new List<Scenario>();
        var errors = new List<ScenarioError>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                errors.Add(new ScenarioError(new SourceMark(file, 1, 1), "no such file or folder"));
                continue;
            }

            var (scenario, problems) = new ScenarioLoader(specs).Load(file, File.ReadAllText(file));
            errors.AddRange(problems);
            if (scenario is not null)
            {
                scenarios.Add(scenario);
            }
        }

        foreach (var duplicate in scenarios.GroupBy(s => s.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.AddRange(duplicate.Skip(1).Select(s => new ScenarioError(s.Source, $"scenario id '{s.Id}' is already used by {duplicate.First().Source.Path}")));
        }

        return (scenarios, errors);
    }
}
