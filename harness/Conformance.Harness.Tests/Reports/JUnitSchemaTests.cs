using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Conformance.Harness.Monitors;
using Conformance.Harness.Reports;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Reports;

/// <summary>
/// The JUnit XML is valid against <c>specs/junit.xsd</c>, the format CI servers read (Jenkins, GitLab CI, Azure
/// Pipelines, GitHub's JUnit reporters): one testcase per scenario, every outcome, the seed and timings as properties.
/// </summary>
public sealed class JUnitSchemaTests
{
    [Test]
    public void Build_EveryVerdictOfTwoClients_IsValidAgainstTheJUnitSchema()
    {
        // Given scenarios with every verdict, one with heartbeat timings, run by two clients with a seed and a shard
        var timing = TimingStats.From(TimeSpan.FromMilliseconds(250), [TimeSpan.FromMilliseconds(249), TimeSpan.FromMilliseconds(252)], TimeSpan.FromMilliseconds(40));
        var results = new[] { Verdict.Pass, Verdict.Warn, Verdict.Fail, Verdict.Error, Verdict.Skipped }
            .Select(v => ReportMergeTests.Result("listenmoe/test/" + v.ToString().ToLowerInvariant(), v)).ToList();
        results[0] = results[0] with { Rules = [results[0].Rules[0] with { Timing = timing }] };
        var entries = results.Select(r => ScenarioReport.From(r, new RunInfo("node bot.js", 42, "1/2"), null))
            .Concat(results.Select(r => ScenarioReport.From(r, new RunInfo("python bot.py", 42), null))).ToList();

        // When the JUnit XML is built and validated
        var xml = JUnitWriter.Build(entries);
        var problems = new List<string>();
        xml.Validate(Schema(), (_, e) => problems.Add($"{e.Severity}: {e.Message}"));

        // Then it is valid, a suite per client, a testcase per scenario, with the seed, shard and timings as properties
        var suites = xml.Root!.Elements("testsuite").ToList();
        var properties = suites[0].Element("properties")!.Elements("property").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Is.Empty);
            Assert.That(suites.Select(s => (string?)s.Attribute("name")), Is.EqualTo(new[] { "listenmoe (node bot.js)", "listenmoe (python bot.py)" }));
            Assert.That(suites[0].Elements("testcase").Count(), Is.EqualTo(5));
            Assert.That((string?)xml.Root.Attribute("tests"), Is.EqualTo("10"));
            Assert.That(properties["seed"], Is.EqualTo("42"));
            Assert.That(properties["shard"], Is.EqualTo("1/2"));
            Assert.That(properties["timing listenmoe/test/pass p.rule"], Does.StartWith("advertised 250ms, n=2"));
            Assert.That(suites[0].Descendants("failure").Single().Attribute("message")!.Value, Is.EqualTo("Fail p.rule"));
        }
    }

    [Test]
    public void Schema_TestcaseWithTwoOutcomes_IsInvalid()
    {
        // The schema itself must refuse what the readers refuse, or the test above proves nothing
        var xml = XDocument.Parse("""
            <testsuites><testsuite name="s" tests="1" failures="1" errors="0">
              <testcase name="c" classname="p" time="0.1"><failure message="m"/><skipped/></testcase>
            </testsuite></testsuites>
            """);
        var problems = new List<string>();

        xml.Validate(Schema(), (_, e) => problems.Add(e.Message));

        Assert.That(problems, Is.Not.Empty);
    }

    private static XmlSchemaSet Schema()
    {
        var set = new XmlSchemaSet();
        using var reader = XmlReader.Create(Path.Combine(Specs.Default.Root, "junit.xsd"));
        set.Add(null, reader);
        return set;
    }
}
