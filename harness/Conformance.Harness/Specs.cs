using System.Collections.Concurrent;
using Conformance.Harness.Rules;

namespace Conformance.Harness;

/// <summary>
/// The <c>specs/</c> folder: rule catalogues and built-in suites. Found from <c>CONFORMANCE_SPECS</c>, beside the
/// running assembly (it is copied there on build), or in a parent folder of the working directory.
/// </summary>
public sealed class Specs
{
    private readonly ConcurrentDictionary<string, RuleCatalog> _catalogs = new(StringComparer.Ordinal);

    public Specs(string root)
    {
        Root = root;
    }

    public static Specs Default { get; } = new(Locate());

    public string Root { get; }

    public RuleCatalog Rules(string protocol) =>
        _catalogs.GetOrAdd(protocol, p =>
        {
            var path = Path.Combine(Root, p, "rules.yaml");
            return File.Exists(path) ? RuleCatalog.Load(p, path) : new RuleCatalog(p, []);
        });

    /// <summary>The built-in suite of a protocol: <c>specs/&lt;protocol&gt;/scenarios/**/*.yaml</c>, sorted.</summary>
    public IReadOnlyList<string> SuiteFiles(string protocol)
    {
        var dir = Path.Combine(Root, protocol, "scenarios");
        return Directory.Exists(dir)
            ? [.. Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)]
            : [];
    }

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CONFORMANCE_SPECS");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "specs");
        if (Directory.Exists(beside))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "specs");
            if (File.Exists(Path.Combine(candidate, "scenario.schema.json")))
            {
                return candidate;
            }
        }

        return beside;
    }
}
