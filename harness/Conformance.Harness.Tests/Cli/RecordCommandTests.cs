using Conformance.Fixtures;
using Conformance.Mocks.Protocols.Discodo;

namespace Conformance.Harness.Tests.Cli;

/// <summary><c>conformance record</c> as a user runs it: the files it writes, what it prints, and what it refuses.</summary>
[Parallelizable(ParallelScope.Children)]
[Category("e2e")]
public sealed class RecordCommandTests
{
    [Test]
    public async Task Record_WithAClient_WritesAScenarioThatValidatesAndTheTranscript()
    {
        // Given a Discodo node (the project's mock) as the upstream, and the client's credentials in the environment
        await using var upstream = await DiscodoMock.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(300));
        var folder = Directory.CreateTempSubdirectory("conformance-record-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["CONFORMANCE_TOKEN"] = upstream.Options.Password,
            ["CONFORMANCE_USER_ID"] = upstream.Options.UserId,
            ["CONFORMANCE_SHARDS"] = "0",
        };

        // When the reference client's session is recorded for two seconds
        var (exit, stdout, stderr) = await CliProcess.RunAsync(
            environment, "record", "--protocol", "discodo", "--upstream", upstream.Url, "--client", FixturePaths.DiscodoNode(),
            "--duration", "2s", "--out", folder, "--name", "identify");

        // Then it printed the proxy and what it wrote, and the scenario validates
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, stdout + stderr);
            Assert.That(stdout, Does.Match(@"^proxy ws://127\.0\.0\.1:\d+/ws\nhttp http://127\.0\.0\.1:\d+\nready\n"));
            Assert.That(stdout, Does.Match(@"recorded 1 connection\(s\), \d+ frame\(s\), 0 HTTP exchange\(s\)"));
            Assert.That(File.ReadAllText(Path.Combine(folder, "identify.transcript.json")), Does.Contain("IDENTIFY"));
            Assert.That(File.ReadAllText(Path.Combine(folder, "identify.yaml")), Does.Contain("id: discodo/recorded/identify").And.Contain("scripted: true"));
        }

        var (valid, validOut, _) = await CliProcess.RunAsync("validate", Path.Combine(folder, "identify.yaml"));
        Assert.That((valid, validOut), Is.EqualTo((0, "1 scenario file(s) valid\n")));
    }

    [TestCase("discodo", "ftp://127.0.0.1/ws", "5s", "conformance: --upstream 'ftp://127.0.0.1/ws': expected a ws://, wss://, http:// or https:// URL\n")]
    [TestCase("discodo", "ws://127.0.0.1:1/ws", "soon", "conformance: --duration 'soon': expected a duration such as 5s or 1500ms\n")]
    public async Task Record_ThatCannotBeDone_IsAUsageError(string protocol, string upstream, string duration, string expected)
    {
        var (exit, _, stderr) = await CliProcess.RunAsync("record", "--protocol", protocol, "--upstream", upstream, "--duration", duration);

        Assert.That((exit, stderr), Is.EqualTo((2, expected)));
    }
}
