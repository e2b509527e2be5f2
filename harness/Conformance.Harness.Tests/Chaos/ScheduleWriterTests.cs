using Conformance.Harness.Scenarios;
using Conformance.Mocks.Chaos;

namespace Conformance.Harness.Tests.Chaos;

/// <summary>A shrunk schedule printed as a scenario the user can keep: it loads, and replays exactly those events.</summary>
public sealed class ScheduleWriterTests
{
    [Test]
    public void Write_ScheduleIntoAChaosScenario_LoadsWithThatScheduleAndTheRestUnchanged()
    {
        // Given a scenario that draws chaos, then turns it off
        const string Yaml = """
            id: listenmoe/chaos/drawn
            protocol: listenmoe
            title: Drawn chaos
            rules: [listenmoe.connect.endpoint, listenmoe.reconnect]
            steps:
              - chaos: { drop: 0.1, delay: 0.5, seed: 3 }
              - expect_connect: { path: /gateway_v2, within: 15s, rule: listenmoe.connect.endpoint }
              - chaos: {}
              - expect_alive: { for: 300ms, rule: listenmoe.reconnect }
            """;
        var schedule = new[] { new ChaosEvent(1, 4, ChaosAction.Delay, TimeSpan.FromMilliseconds(40)), new ChaosEvent(2, 1, ChaosAction.Reset, TimeSpan.Zero) };

        // When
        var written = TestScenarios.Parse(ScheduleWriter.Write(Yaml, schedule), "written.yaml");

        // Then
        var chaos = written.Steps.OfType<ChaosStep>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written.Id, Is.EqualTo("listenmoe/chaos/drawn-shrunk"));
            Assert.That(written.Title, Is.EqualTo("Drawn chaos (shrunk to 2 chaos events)"));
            Assert.That(chaos[0].Settings.Schedule, Is.EqualTo(schedule));
            Assert.That(chaos[1].Settings.IsOff, Is.True, "the step that turns chaos off is left as it was");
            Assert.That(written.Steps.Select(s => s.GetType().Name), Is.EqualTo(new[] { "ChaosStep", "ExpectConnectStep", "ChaosStep", "ExpectAliveStep" }));
        }
    }

    [Test]
    public void Write_ScheduleIntoChaosSetAsAMockOption_ReplacesThatOption()
    {
        // Given a scenario whose chaos is a mock option
        const string Yaml = """
            id: listenmoe/chaos/option
            protocol: listenmoe
            title: Chaos as an option
            rules: [listenmoe.connect.endpoint]
            mock:
              heartbeatInterval: 300ms
              chaos: { drop: 0.2, seed: 5 }
            steps:
              - expect_connect: { path: /gateway_v2, within: 15s, rule: listenmoe.connect.endpoint }
            """;
        var schedule = new[] { new ChaosEvent(1, 2, ChaosAction.Drop, TimeSpan.Zero) };

        // When
        var written = TestScenarios.Parse(ScheduleWriter.Write(Yaml, schedule), "written.yaml");

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written.Steps.OfType<ChaosStep>().Single().Settings.Schedule, Is.EqualTo(schedule));
            Assert.That(written.Mock["heartbeatInterval"].Scalar, Is.EqualTo("300ms"));
        }
    }
}
