using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>Seed 000 §Receiving data: "Every time the current song changes you'll receive data", with the past 2 songs.</summary>
[Category("listenmoe")]
public sealed class TrackChangeTests
{
    [Test]
    public async Task ChangeTrack_WithOneClient_PushesTheNextSongAndMovesTheOldOneToLastPlayed()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await TestClient.ConnectAsync(mock.Url);
        await client.ReceiveJsonAsync();
        var before = (await client.ReceiveJsonAsync())["d"]!;

        // When
        await mock.ChangeTrackAsync();
        var update = await client.ReceiveJsonAsync();

        // Then
        var after = update["d"]!;
        var lastPlayed = after["lastPlayed"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.TypeOf(update), Is.EqualTo("TRACK_UPDATE"));
            Assert.That(JsonNode.DeepEquals(after["song"], before["song"]), Is.False, "the song changed");
            Assert.That(lastPlayed, Has.Count.EqualTo(2));
            Assert.That(JsonNode.DeepEquals(lastPlayed[0], before["song"]), Is.True, "newest of lastPlayed is the song before");
            Assert.That(JsonNode.DeepEquals(lastPlayed[1], before["lastPlayed"]![0]), Is.True, "then the one before that");
        }
    }

    [Test]
    public async Task ChangeTrack_WithTwoClients_PushesTheSameSongToBoth()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var jpop = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        await using var kpop = await HeartbeatTests.ConnectedPastTrackAsync(mock, mock.KpopUrl);

        // When
        await mock.ChangeTrackAsync();
        var toJpop = await jpop.ReceiveJsonAsync();
        var toKpop = await kpop.ReceiveJsonAsync();

        // Then: one song change is one TRACK_UPDATE, seen alike by every listener
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.TypeOf(toJpop), Is.EqualTo("TRACK_UPDATE"));
            Assert.That(Op.TypeOf(toKpop), Is.EqualTo("TRACK_UPDATE"));
            Assert.That(toKpop["d"]!["song"]!.ToJsonString(), Is.EqualTo(toJpop["d"]!["song"]!.ToJsonString()));
        }
    }

    [Test]
    public async Task TrackChangeInterval_WhileConnected_PushesTrackUpdatesThatCarryTheHistory()
    {
        // Given: only the timer sends op 1, so consecutive updates are consecutive songs
        await using var mock = await ListenMoeMock.StartAsync(o =>
        {
            o.SendTrackOnConnect = false;
            o.TrackChangeInterval = TimeSpan.FromMilliseconds(50);
        });
        await using var client = await TestClient.ConnectAsync(mock.Url);
        await client.ReceiveJsonAsync();

        // When
        var first = await client.ReceiveJsonAsync();
        var second = await client.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.TypeOf(first), Is.EqualTo("TRACK_UPDATE"));
            Assert.That(Op.TypeOf(second), Is.EqualTo("TRACK_UPDATE"));
            Assert.That(JsonNode.DeepEquals(second["d"]!["lastPlayed"]![0], first["d"]!["song"]), Is.True);
        }
    }
}
