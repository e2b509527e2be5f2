using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>Seed 000 §Heartbeating: "A heartbeat is sent via { op: 9 } and acknowledged by getting { op: 10 } returned."</summary>
[Category("listenmoe")]
public sealed class HeartbeatTests
{
    [Test]
    public async Task Heartbeat_Op9_IsAnsweredByOp10()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await ConnectedPastTrackAsync(mock);

        // When
        await client.SendTextAsync("""{"op":9}""");
        var reply = await client.ReceiveJsonAsync();

        // Then
        Assert.That(Op.Of(reply), Is.EqualTo(10));
    }

    [Test]
    public async Task Heartbeat_WhenAckHeartbeatsIsFalse_IsNotAnswered()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync(o => o.AckHeartbeats = false);
        await using var client = await ConnectedPastTrackAsync(mock);

        // When: a heartbeat, then op 2 as a sentinel the mock does answer
        await client.SendTextAsync("""{"op":9}""");
        await client.SendTextAsync("""{"op":2}""");
        var next = await client.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(next), Is.EqualTo(1), "no op 10 came before the answer to op 2");
            Assert.That(Op.TypeOf(next), Is.EqualTo("TRACK_UPDATE_REQUEST"));
        }
    }

    /// <summary>Connects and reads past the welcome and the track update that follow every connect.</summary>
    internal static async Task<TestClient> ConnectedPastTrackAsync(ListenMoeMock mock, string? url = null)
    {
        var client = await TestClient.ConnectAsync(url ?? mock.Url);
        var welcome = await client.ReceiveJsonAsync();
        var track = await client.ReceiveJsonAsync();
        Assert.That((Op.Of(welcome), Op.Of(track)), Is.EqualTo((0, 1)));
        return client;
    }
}
