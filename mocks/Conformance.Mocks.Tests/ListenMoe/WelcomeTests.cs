using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>Seed 000 §Heartbeating: the gateway speaks first with op 0, then the current track follows.</summary>
[Category("listenmoe")]
public sealed class WelcomeTests
{
    [Test]
    public async Task Welcome_OnConnect_IsTheFirstFrameAndAdvertisesIntervalInMilliseconds()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(250));

        // When
        await using var client = await TestClient.ConnectAsync(mock.Url);
        var first = await client.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(first), Is.Zero);
            Assert.That(first["d"]!["heartbeat"]!.GetValue<long>(), Is.EqualTo(250));
            Assert.That(first["d"]!["message"]!.GetValue<string>(), Is.EqualTo("Welcome to LISTEN.moe! Enjoy your stay!"));
        }
    }

    [Test]
    public async Task Welcome_ByDefault_AdvertisesTheSeedsFortyFiveSeconds()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();

        // When
        await using var client = await TestClient.ConnectAsync(mock.Url);
        var first = await client.ReceiveJsonAsync();

        // Then
        Assert.That(first["d"]!["heartbeat"]!.GetValue<long>(), Is.EqualTo(45000));
    }

    [Test]
    public async Task Welcome_OnConnect_IsFollowedByTrackUpdateInTheSeedsShape()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await TestClient.ConnectAsync(mock.Url);
        await client.ReceiveJsonAsync();

        // When
        var track = await client.ReceiveJsonAsync();

        // Then
        var d = track["d"]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(track), Is.EqualTo(1));
            Assert.That(Op.TypeOf(track), Is.EqualTo("TRACK_UPDATE"));
            Assert.That(d["song"]!["title"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(d["song"]!["artists"]!.AsArray(), Is.Not.Empty);
            Assert.That(d["lastPlayed"]!.AsArray(), Has.Count.InRange(0, 2));
            Assert.That(d["listeners"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(0));
            Assert.That(DateTimeOffset.TryParse(d["startTime"]!.GetValue<string>(), out _), Is.True);
            Assert.That(d.ContainsKey("requester") && d["requester"] is null, Is.True, "requester is an explicit null");
            Assert.That(d.ContainsKey("event") && d["event"] is null, Is.True, "event is an explicit null");
        }
    }

    [Test]
    public async Task Welcome_WhenSendWelcomeIsFalse_IsNotSent()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync(o => o.SendWelcome = false);

        // When
        await using var client = await TestClient.ConnectAsync(mock.Url);
        var first = await client.ReceiveJsonAsync();

        // Then
        Assert.That(Op.Of(first), Is.EqualTo(1), "the track update is the first frame when op 0 is switched off");
    }
}
