using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;
using NUnit.Framework;

namespace Conformance.NUnit;

/// <summary>Runs a scenario against the configured client and turns its verdict into an NUnit outcome.</summary>
public static class ConformanceAssert
{
    /// <summary>
    /// Pass passes; Warn (a broken SHOULD) is an NUnit warning; Skipped (the scenario requires a client feature not
    /// declared) ignores the test with the reason; Fail and Error fail the test with the broken rules, their evidence
    /// and any snapshot diff, except an Error that only says the machine was too busy to judge timing (even after a
    /// re-run), which is inconclusive: nothing is known about the client. The transcript's JSON is attached to the
    /// test result of every scenario that ran.
    /// </summary>
    public static async Task<ScenarioResult> PassesAsync(Scenario? scenario, ClientSpec? client = null, RunOptions? options = null)
    {
        if (scenario is null)
        {
            Assert.Fail(TestContext.CurrentContext.Test.Properties.Get("ScenarioError") as string ?? "the scenario did not load");
        }

        var result = await RunAsync(scenario!, client, options).ConfigureAwait(false);
        if (result.Verdict == Verdict.Skipped)
        {
            // The user declared what their client does; a scenario for something else is not this client's failure.
            Assert.Ignore(result.SkipReason ?? "skipped");
        }

        var transcript = Path.Combine(TestContext.CurrentContext.WorkDirectory, "conformance", result.Scenario.Id + ".transcript.json");
        Directory.CreateDirectory(Path.GetDirectoryName(transcript)!);
        await File.WriteAllTextAsync(transcript, Mocks.Transcripts.TranscriptJson.Write(result.Transcript)).ConfigureAwait(false);
        TestContext.AddTestAttachment(transcript, "transcript");
        switch (result.Verdict)
        {
            case Verdict.Pass:
                break;
            case Verdict.Warn:
                Assert.Warn(result.Explain());
                break;
            case Verdict.Error when result.TooBusyToJudge:
                Assert.Inconclusive(result.Explain());
                break;
            default:
                Assert.Fail(result.Explain());
                break;
        }

        return result;
    }

    /// <summary>Runs without asserting, for tests that check verdicts themselves.</summary>
    public static Task<ScenarioResult> RunAsync(Scenario scenario, ClientSpec? client = null, RunOptions? options = null) =>
        new ScenarioRunner(options ?? ConformanceSettings.RunOptions()).RunAsync(scenario, client ?? ConformanceSettings.Client());
}
