using System.Text.Json.Nodes;
using System.Xml.Linq;
using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Reports;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Reports;

/// <summary>
/// A client's control characters (ANSI colours on stderr) reach reports as visible escapes: JUnit XML stays valid
/// (XML 1.0 cannot hold 0x1B), report.md carries no escape sequences, results.json stays parseable.
/// </summary>
public sealed class ControlCharacterTests
{
    private const string NeverConnects = """
        id: listenmoe/test/ansi-client
        protocol: listenmoe
        rules: [listenmoe.connect.endpoint]
        steps:
          - expect_connect: { within: 5s }
        """;

    [Test]
    public void Escape_AnsiColourAndBell_AreWrittenAsUnicodeEscapes()
    {
        var escaped = ControlCharacters.Escape("\u001b[31merror:\u001b[0m giving up\a");

        Assert.That(escaped, Is.EqualTo(@"\u001B[31merror:\u001B[0m giving up\u0007"));
    }

    [Test]
    public void Escape_TabsLineBreaksAndNonAscii_AreKeptAsTheyAre()
    {
        const string text = "a\tb\r\nc \u2014 \u66f2 \ud83c\udfb5";

        Assert.That(ControlCharacters.Escape(text), Is.SameAs(text));
    }

    [Test]
    public void Escape_WhatXmlCannotHold_IsEscaped()
    {
        var escaped = ControlCharacters.Escape("nul\0 del\u007f c1\u0085 lone\ud800 end\uffff");

        Assert.That(escaped, Is.EqualTo(@"nul\u0000 del\u007F c1\u0085 lone\uD800 end\uFFFF"));
    }

    [Test]
    public async Task Reports_ClientColoursStderrAndExits_AreValidAndKeepTheTextEscaped()
    {
        // Given a run against a client that writes ANSI-coloured lines to stderr and exits 1 at once
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(NeverConnects), new ClientSpec(FixturePaths.Misbehaving("ansi-crash.sh")));
        Assert.That(result.Explain(), Does.Contain("\u001b[31m"), "the failure quotes the client's stderr as it was written");
        var junit = Path.Combine(Path.GetTempPath(), $"conformance-{Guid.NewGuid():N}.xml");
        var report = Path.Combine(Path.GetTempPath(), $"conformance-{Guid.NewGuid():N}");

        try
        {
            // When the JUnit XML and the report folder are written
            JUnitWriter.Write(junit, [result]);
            ReportWriter.Write(report, [result]);

            // Then the XML parses and shows the escapes, report.md has no control characters, results.json parses
            var failure = XDocument.Load(junit).Descendants("failure").Single();
            var markdown = await File.ReadAllTextAsync(Path.Combine(report, "report.md"));
            var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(report, "results.json")))!.AsArray();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
                Assert.That(failure.Value, Does.Contain(@"\u001B[31merror:\u001B[0m cannot reach").And.Contain(@"giving up\u0007"));
                Assert.That(markdown, Does.Contain(@"\u001B[31merror:"));
                Assert.That(markdown.Where(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')), Is.Empty);
                Assert.That((string?)json[0]!["verdict"], Is.EqualTo("Fail"));
                Assert.That(File.Exists(junit + ".partial"), Is.False, "no half-written file is left");
            }
        }
        finally
        {
            File.Delete(junit);
            if (Directory.Exists(report))
            {
                Directory.Delete(report, recursive: true);
            }
        }
    }
}
