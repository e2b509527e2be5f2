namespace Conformance.Mocks.Tests;

/// <summary>The seeds' sample frames under <c>fixtures/payloads/&lt;protocol&gt;/</c>, copied beside the test assembly.</summary>
internal static class Payloads
{
    /// <summary>One case per file whose name starts with <paramref name="prefix"/>, named by it, with the file's text.</summary>
    public static IEnumerable<TestCaseData> Of(string protocol, string prefix = "")
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "payloads", protocol);
        var files = Directory.EnumerateFiles(folder, prefix + "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"No {prefix}*.json payloads in {folder}");
        }

        return files.Select(f => new TestCaseData(File.ReadAllText(f)).SetArgDisplayNames(Path.GetFileNameWithoutExtension(f)));
    }
}
