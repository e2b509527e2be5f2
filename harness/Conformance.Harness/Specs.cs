using System.Collections.Concurrent;
using Conformance.Harness.Protocols;
using Conformance.Harness.Rules;

namespace Conformance.Harness;

/// <summary>
/// The <c>specs/</c> folder: rule catalogues and built-in suites. Found from <c>CONFORMANCE_SPECS</c>, beside the
/// running assembly (it is copied there on build), in a parent folder of the working directory, or else unpacked from
/// the copy inside this assembly (a test project that has the harness from its NuGet package). A specs folder of
/// a protocol that does not ship with the harness (the engine's test protocol, a user's in-house service) comes with
/// its module, given to the constructor.
/// </summary>
public sealed class Specs
{
    private readonly ConcurrentDictionary<string, RuleCatalog> _catalogs = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<IProtocolModule> _protocols;

    public Specs(string root, IReadOnlyList<IProtocolModule>? protocols = null)
    {
        Root = root;
        _protocols = protocols ?? [];
    }

    public static Specs Default { get; } = new(Locate());

    public string Root { get; }

    /// <summary>The protocol with this id: one of this folder's own, or a built-in one.</summary>
    public IProtocolModule? Protocol(string id) =>
        _protocols.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal)) ?? ProtocolRegistry.Find(id);

    /// <summary>The ids <see cref="Protocol"/> knows.</summary>
    public IEnumerable<string> ProtocolIds => _protocols.Select(m => m.Id).Concat(ProtocolRegistry.Ids).Distinct(StringComparer.Ordinal);

    public RuleCatalog Rules(string protocol) =>
        _catalogs.GetOrAdd(protocol, p =>
        {
            var path = Path.Combine(Root, p, "rules.yaml");
            return File.Exists(path) ? RuleCatalog.Load(p, path) : new RuleCatalog(p, []);
        });

    /// <summary>
    /// The built-in suite of a protocol: <c>specs/&lt;protocol&gt;/scenarios/**/*.yaml</c>, sorted; for a profile other
    /// than the protocol's default, the scenarios written for it, <c>specs/&lt;protocol&gt;/profiles/&lt;profile&gt;/**/*.yaml</c>.
    /// </summary>
    public IReadOnlyList<string> SuiteFiles(string protocol, string? profile = null)
    {
        var dir = profile is null || Protocol(protocol)?.Default().Name == profile
            ? Path.Combine(Root, protocol, "scenarios")
            : Path.Combine(Root, protocol, "profiles", profile);
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

        return Unpack();
    }

    /// <summary>
    /// The copy of <c>specs/</c> this assembly carries as resources, unpacked into a folder of the temp directory named
    /// after the build (its module version id), once: the folder is filled under another name and renamed into place,
    /// so a run that finds it finds it whole.
    /// </summary>
    private static string Unpack()
    {
        var assembly = typeof(Specs).Assembly;
        var target = Path.Combine(Path.GetTempPath(), "conformance-specs", assembly.ManifestModule.ModuleVersionId.ToString("N"));
        if (Directory.Exists(target))
        {
            return target;
        }

        var partial = target + "." + Guid.NewGuid().ToString("N")[..8] + ".partial";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("specs/", StringComparison.Ordinal)))
        {
            var path = Path.Combine(partial, name["specs/".Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var resource = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(path);
            resource.CopyTo(file);
        }

        try
        {
            Directory.Move(partial, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            Directory.Delete(partial, recursive: true); // another process unpacked it first
        }

        return target;
    }
}
