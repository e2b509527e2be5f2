using System.Globalization;
using System.Xml.Linq;
using Conformance.Harness.Running;

namespace Conformance.Harness.Reports;

/// <summary>
/// JUnit XML as CI servers read it: one testsuite per protocol, one testcase per scenario (name = scenario id,
/// classname = protocol); Fail as failure, Error as error, Skipped as skipped with the reason, Warn as a pass with the
/// warning in system-out. Text from the client (stderr lines in a failure, say) has its control characters escaped
/// (<see cref="ControlCharacters"/>), which XML could not hold, and the file is written whole or not at all.
/// </summary>
public static class JUnitWriter
{
    public static XDocument Build(IReadOnlyList<ScenarioResult> results)
    {
        var suites = new XElement("testsuites");
        foreach (var group in results.GroupBy(r => r.Scenario.Protocol))
        {
            var suite = new XElement(
                "testsuite",
                new XAttribute("name", ControlCharacters.Escape(group.Key)),
                new XAttribute("tests", group.Count()),
                new XAttribute("failures", group.Count(r => r.Verdict == Verdict.Fail)),
                new XAttribute("errors", group.Count(r => r.Verdict == Verdict.Error)),
                new XAttribute("skipped", group.Count(r => r.Verdict == Verdict.Skipped)),
                new XAttribute("time", Seconds(group.Sum(r => r.Duration.TotalSeconds))));
            foreach (var result in group)
            {
                suite.Add(Case(result));
            }

            suites.Add(suite);
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
    }

    /// <summary>Writes the XML to a temporary file beside <paramref name="path"/>, then moves it into place.</summary>
    public static void Write(string path, IReadOnlyList<ScenarioResult> results)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        try
        {
            Build(results).Save(partial);
            File.Move(partial, full, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static XElement Case(ScenarioResult result)
    {
        var element = new XElement(
            "testcase",
            new XAttribute("name", ControlCharacters.Escape(result.Scenario.Id)),
            new XAttribute("classname", ControlCharacters.Escape(result.Scenario.Protocol)),
            new XAttribute("time", Seconds(result.Duration.TotalSeconds)));
        var summary = ControlCharacters.Escape(string.Join("; ", result.Broken.Select(r => $"{r.Verdict} {r.Rule.Id}").Concat(result.Errors.Take(1))));
        var explanation = ControlCharacters.Escape(result.Explain());
        switch (result.Verdict)
        {
            case Verdict.Fail:
                element.Add(new XElement("failure", new XAttribute("message", summary), new XAttribute("type", "conformance"), explanation));
                break;
            case Verdict.Error:
                element.Add(new XElement("error", new XAttribute("message", summary), new XAttribute("type", "harness"), explanation));
                break;
            case Verdict.Skipped:
                element.Add(new XElement("skipped", new XAttribute("message", ControlCharacters.Escape(result.SkipReason ?? ""))));
                break;
            case Verdict.Warn:
                element.Add(new XElement("system-out", explanation));
                break;
            default:
                break;
        }

        return element;
    }

    private static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
}
