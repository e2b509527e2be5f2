using System.Globalization;
using System.Xml.Linq;
using Conformance.Harness.Running;

namespace Conformance.Harness.Reports;

/// <summary>
/// JUnit XML as GitHub Actions (test reporters reading JUnit), GitLab CI (<c>artifacts:reports:junit</c>) and Azure
/// Pipelines (<c>PublishTestResults</c>, format JUnit) read it, valid against <c>specs/junit.xsd</c>: one testsuite per
/// protocol and client, one testcase per scenario (name = scenario id, classname = protocol); Fail as failure with the
/// broken rules in its message, Error as error, Skipped as skipped with the reason, Warn as a pass with the warning in
/// system-out. The suite's properties carry the client, the seed and the shard, and per scenario its heartbeat figures.
/// Text from the client (stderr lines in a failure, say) has its control characters escaped
/// (<see cref="ControlCharacters"/>), which XML could not hold, and the file is written whole or not at all.
/// </summary>
public static class JUnitWriter
{
    public static XDocument Build(IReadOnlyList<ScenarioResult> results) =>
        Build(ScenarioReport.Of(results));

    public static XDocument Build(IReadOnlyList<ScenarioReport> entries)
    {
        var manyClients = entries.Select(e => e.Client).Distinct(StringComparer.Ordinal).Count() > 1;
        var suites = new XElement(
            "testsuites",
            new XAttribute("name", "conformance"),
            new XAttribute("tests", entries.Count),
            new XAttribute("failures", entries.Count(r => r.Verdict == Verdict.Fail)),
            new XAttribute("errors", entries.Count(r => r.Verdict == Verdict.Error)),
            new XAttribute("skipped", entries.Count(r => r.Verdict == Verdict.Skipped)),
            new XAttribute("time", Seconds(entries.Sum(r => r.DurationMs) / 1000)));
        foreach (var group in entries.GroupBy(r => (r.Client, r.Protocol)))
        {
            var first = group.First();
            var properties = new XElement("properties", Property("client", first.Client));
            if (first.Seed is { } seed)
            {
                properties.Add(Property("seed", seed.ToString(CultureInfo.InvariantCulture)));
            }

            if (first.Shard is { } shard)
            {
                properties.Add(Property("shard", shard));
            }

            foreach (var entry in group)
            {
                foreach (var rule in entry.Rules.Where(r => r.Timing is not null))
                {
                    properties.Add(Property($"timing {entry.Id} {rule.Id}", rule.Timing!.ToString()));
                }
            }

            var suite = new XElement(
                "testsuite",
                new XAttribute("name", ControlCharacters.Escape(manyClients ? $"{group.Key.Protocol} ({group.Key.Client})" : group.Key.Protocol)),
                new XAttribute("tests", group.Count()),
                new XAttribute("failures", group.Count(r => r.Verdict == Verdict.Fail)),
                new XAttribute("errors", group.Count(r => r.Verdict == Verdict.Error)),
                new XAttribute("skipped", group.Count(r => r.Verdict == Verdict.Skipped)),
                new XAttribute("time", Seconds(group.Sum(r => r.DurationMs) / 1000)),
                properties);
            foreach (var entry in group)
            {
                suite.Add(Case(entry));
            }

            suites.Add(suite);
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
    }

    /// <summary>Writes the XML to a temporary file beside <paramref name="path"/>, then moves it into place.</summary>
    public static void Write(string path, IReadOnlyList<ScenarioResult> results) =>
        Write(path, ScenarioReport.Of(results));

    /// <summary>Writes the XML to a temporary file beside <paramref name="path"/>, then moves it into place.</summary>
    public static void Write(string path, IReadOnlyList<ScenarioReport> entries)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        try
        {
            Build(entries).Save(partial);
            File.Move(partial, full, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static XElement Case(ScenarioReport entry)
    {
        var element = new XElement(
            "testcase",
            new XAttribute("name", ControlCharacters.Escape(entry.Id)),
            new XAttribute("classname", ControlCharacters.Escape(entry.Protocol)),
            new XAttribute("time", Seconds(entry.DurationMs / 1000)));
        var summary = ControlCharacters.Escape(string.Join("; ", entry.Broken.Select(r => $"{r.Verdict} {r.Id}").Concat(entry.Errors.Take(1))));
        var explanation = ControlCharacters.Escape(entry.Explanation);
        switch (entry.Verdict)
        {
            case Verdict.Fail:
                element.Add(new XElement("failure", new XAttribute("message", summary), new XAttribute("type", "conformance"), explanation));
                break;
            case Verdict.Error:
                element.Add(new XElement("error", new XAttribute("message", summary), new XAttribute("type", "harness"), explanation));
                break;
            case Verdict.Skipped:
                element.Add(new XElement("skipped", new XAttribute("message", ControlCharacters.Escape(entry.SkipReason ?? ""))));
                break;
            case Verdict.Warn:
                element.Add(new XElement("system-out", explanation));
                break;
            default:
                break;
        }

        return element;
    }

    private static XElement Property(string name, string value) =>
        new("property", new XAttribute("name", ControlCharacters.Escape(name)), new XAttribute("value", ControlCharacters.Escape(value)));

    private static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
}
