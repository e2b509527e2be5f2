using Conformance.Harness.Reports;
using Conformance.Harness.Running;
using Conformance.Harness.Snapshots;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Reports;

/// <summary>
/// A report folder is a CI artifact others read: credentials in its transcripts are masked, and no scenario id writes
/// outside the folders the user named.
/// </summary>
public sealed class ReportSafetyTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("conformance-report-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Write_TranscriptWithCredentials_MasksThemAndKeepsTheRest()
    {
        // Given a run whose transcript holds a password and a cookie in an HTTP exchange, a token in its query, and a
        // bearer token in a frame
        var transcript = new Transcript();
        transcript.Append(new HttpExchange("POST", "/_/auth/login", "?token=abc123&lang=en", """{"email":"dj@conformance.test","password":"hunter2"}""", 200, """{"status":"ok"}""")
        {
            RequestHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Cookie"] = "session=s3ss10n", ["Accept"] = "application/json" },
        });
        transcript.Append(new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, """{"op":0,"d":{"auth":"Bearer b34r3r"}}""", null));

        // When the report is written
        ReportWriter.Write(_dir, [Result("listenmoe/test/credentials", transcript)]);

        // Then the transcript file holds none of the secrets, and everything else as it was
        var written = File.ReadAllText(Path.Combine(_dir, "transcripts", "listenmoe", "test", "credentials.json"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Does.Not.Contain("hunter2").And.Not.Contain("abc123").And.Not.Contain("s3ss10n").And.Not.Contain("b34r3r"));
            Assert.That(written, Does.Contain("dj@conformance.test").And.Contain("lang=en").And.Contain("application/json").And.Contain(Credentials.Mask));
        }
    }

    [Test]
    public void Write_ScenarioIdLeadingOutOfTheFolder_IsRefusedAndWritesNothingThere()
    {
        // Given a result of a scenario built in code, whose id climbs out of the report folder
        var report = Path.Combine(_dir, "report");
        var result = Result("listenmoe/../../../escaped", new Transcript()) with { };

        // When the report and a snapshot are written for it
        var write = () => ReportWriter.Write(report, [result]);
        var snapshot = () => new SnapshotStore(Path.Combine(_dir, "snapshots")).VerifiedPath(result.Scenario.Id);

        // Then both refuse, and nothing lands beside the folders
        Assert.That(write, Throws.ArgumentException.With.Message.Contains("outside"));
        Assert.That(snapshot, Throws.ArgumentException.With.Message.Contains("outside"));
        Assert.That(File.Exists(Path.Combine(_dir, "escaped.json")), Is.False);
    }

    private static ScenarioResult Result(string id, Transcript transcript)
    {
        var scenario = TestScenarios.Parse("""
            id: listenmoe/test/report
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            steps:
              - wait: 10ms
            """) with { Id = id };
        return new ScenarioResult(scenario, Verdict.Pass, [], [], transcript.Snapshot(), [], TimeSpan.Zero);
    }
}
