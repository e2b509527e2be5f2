using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>Seed 000 §Receiving data: op 2 asks for the current track, answered by op 1 TRACK_UPDATE_REQUEST.</summary>
[Category("listenmoe")]
public sealed class TrackRequestTests
{
    [Test]
    public async Task TrackRequest_Op2_IsAnsweredByTrackUpdateRequestForTheCurrentSong()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await TestClient.ConnectAsync(mock.Url);
        await client.ReceiveJsonAsync();
        var onConnect = await client.ReceiveJsonAsync();

        // When
        await client.SendTextAsync("""{"op":2}""");
        var reply = await client.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(reply), Is.EqualTo(1));
            Assert.That(Op.TypeOf(reply), Is.EqualTo("TRACK_UPDATE_REQUEST"));
            Assert.That(reply["d"]!.ToJsonString(), Is.EqualTo(onConnect["d"]!.ToJsonString()), "op 2 does not move the song on");
        }
    }

    [Test]
    public async Task TrackRequest_WhenAnswerTrackRequestsIsFalse_IsNotAnswered()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync(o => o.AnswerTrackRequests = false);
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When: op 2, then a heartbeat as a sentinel the mock does answer
        await client.SendTextAsync("""{"op":2}""");
        await client.SendTextAsync("""{"op":9}""");
        var next = await client.ReceiveJsonAsync();

        // Then
        Assert.That(Op.Of(next), Is.EqualTo(10), "no op 1 came before the heartbeat ack");
    }
}
