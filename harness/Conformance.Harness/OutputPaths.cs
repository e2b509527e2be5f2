namespace Conformance.Harness;

/// <summary>
/// Files the harness writes under a folder the user chose (<c>--report</c>, <c>--snapshots</c>), named by scenario id.
/// A loaded id cannot hold <c>..</c>, but a scenario built in code can hold anything; no name may lead out of the folder.
/// </summary>
internal static class OutputPaths
{
    /// <summary>The full path of <paramref name="relative"/> under <paramref name="directory"/>.</summary>
    /// <exception cref="ArgumentException">The path would lie outside <paramref name="directory"/>.</exception>
    public static string Under(string directory, string relative)
    {
        var root = Path.GetFullPath(directory);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{relative}' would be written outside {root}", nameof(relative));
    }
}
