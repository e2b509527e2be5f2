using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>A scripted host (<see cref="MockHostOptions.Scripted"/>) does nothing of its own, and still records everything.</summary>
public sealed class ScriptedHostTests
{
    [Test]
    public async Task Scripted_ListenMoe_SendsNoWelcomeAndAnswersNothingButRecordsTheFrames()
    {
        // Given a scripted LISTEN.moe mock and a client that beats
        var transcript = new Transcript();
        await using var mock = await ListenMoeMock.StartAsync(new ListenMoeOptions(), new MockHostOptions { Scripted = true }, transcript);
        await using var client = await TestClient.ConnectAsync(mock.Url);
        await client.SendTextAsync("""{"op":9}""");

        // Then nothing comes back, and the beat is in the transcript
        Assert.ThrowsAsync<TimeoutException>(async () => await client.ReceiveAsync(TimeSpan.FromMilliseconds(400)));
        Assert.That(transcript.Snapshot().OfType<FrameRecorded>().Select(f => (f.Direction, f.Text)), Is.EqualTo(new[] { (Direction.ClientToServer, (string?)"""{"op":9}""") }));
    }

    [Test]
    public async Task Scripted_PlugDj_AcceptsAnUpgradeTheProtocolWouldRefuse()
    {
        // Given a scripted plug.dj mock, whose protocol refuses an upgrade without Origin
        var transcript = new Transcript();
        await using var mock = await PlugDjMock.StartAsync(new PlugDjOptions(), new MockHostOptions { Scripted = true }, transcript);

        // When a client connects without Origin
        await using var client = await TestClient.ConnectAsync(mock.Url);

        // Then it is connected, and recorded as such
        Assert.That(transcript.Snapshot().OfType<ConnectionOpened>().Single().Path, Is.EqualTo("/socket"));
    }
}
