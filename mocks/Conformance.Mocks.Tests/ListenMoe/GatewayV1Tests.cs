using System.Net.WebSockets;
using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Gateway v1 (LISTEN-moe/documentation docs/ws/spec.md at 168f268): served at /gateway, it waits for the client's op 0
/// auth, welcomes an anonymous client or a user, and closes a bad auth with 4003 and a second one with 4004.
/// </summary>
[Category("listenmoe")]
public sealed class GatewayV1Tests
{
    private static Task<ListenMoeMock> StartV1() => ListenMoeMock.StartAsync(o =>
    {
        o.Gateway = "v1";
        o.HeartbeatInterval = TimeSpan.FromMilliseconds(300);
    });

    [Test]
    public async Task Gateway_V1_IsServedAtTheOldPathsOnly()
    {
        // Given
        await using var mock = await StartV1();

        // Then the gateway URLs are v1's, and v2's path is not served
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new Uri(mock.Url).AbsolutePath, Is.EqualTo("/gateway"));
            Assert.That(new Uri(mock.KpopUrl).AbsolutePath, Is.EqualTo("/kpop/gateway"));
        }

        Assert.ThrowsAsync<WebSocketException>(async () => await TestClient.ConnectAsync(mock.Url + "_v2"));
    }

    [Test]
    public async Task Welcome_OnV1_WaitsForTheAuth()
    {
        // Given a v1 gateway and a client that has not authenticated
        await using var mock = await StartV1();
        await using var client = await TestClient.ConnectAsync(mock.Url);

        // Then nothing arrives
        Assert.ThrowsAsync<TimeoutException>(async () => await client.ReceiveAsync(TimeSpan.FromMilliseconds(400)));
    }

    [Test]
    public async Task Welcome_AfterAnAnonymousAuth_HasNoUser()
    {
        // Given
        await using var mock = await StartV1();
        await using var client = await TestClient.ConnectAsync(mock.Url);

        // When
        await client.SendTextAsync("""{"op":0,"d":{"auth":""}}""");
        var welcome = await client.ReceiveJsonAsync();
        var track = await client.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(welcome), Is.Zero);
            Assert.That(welcome["d"]!["heartbeat"]!.GetValue<long>(), Is.EqualTo(300));
            Assert.That(welcome["d"]!.AsObject().ContainsKey("user"), Is.False);
            Assert.That(Op.TypeOf(track), Is.EqualTo("TRACK_UPDATE"));
        }
    }

    [Test]
    public async Task Welcome_AfterAnAuthWithTheToken_NamesTheUser()
    {
        // Given
        await using var mock = await StartV1();
        await using var client = await TestClient.ConnectAsync(mock.Url);

        // When
        await client.SendTextAsync("""{"op":0,"d":{"auth":"Bearer conformance-listenmoe-jwt"}}""");
        var welcome = await client.ReceiveJsonAsync();

        // Then the user has the fields of the v1 document's example
        var user = welcome["d"]!["user"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(user["username"]!.GetValue<string>(), Is.EqualTo("kana"));
            Assert.That(user["displayName"]!.GetValue<string>(), Is.EqualTo("Kana"));
            Assert.That(user["uuid"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(user["email"]!.GetValue<string>(), Does.Contain('@'));
        }
    }

    [TestCase("""{"op":0,"d":{"auth":"Bearer someone-elses-token"}}""", TestName = "Auth_WithAnotherToken_IsClosedWith4003")]
    [TestCase("""{"op":0,"d":{"auth":"conformance-listenmoe-jwt"}}""", TestName = "Auth_WithoutBearer_IsClosedWith4003")]
    [TestCase("""{"op":0,"d":{"auth":42}}""", TestName = "Auth_NotAString_IsClosedWith4003")]
    public async Task Auth_Invalid_IsClosedWith4003(string auth)
    {
        // Given
        await using var mock = await StartV1();
        await using var client = await TestClient.ConnectAsync(mock.Url);

        // When
        await client.SendTextAsync(auth);

        // Then
        Assert.That((int?)await client.ReceiveCloseAsync(), Is.EqualTo(ListenMoeCodec.CloseCodes.InvalidAuth));
    }

    [Test]
    public async Task Auth_Twice_IsClosedWith4004()
    {
        // Given an authenticated client
        await using var mock = await StartV1();
        await using var client = await TestClient.ConnectAsync(mock.Url);
        await client.SendTextAsync("""{"op":0,"d":{"auth":""}}""");
        await client.ReceiveJsonAsync();
        await client.ReceiveJsonAsync();

        // When it authenticates again
        await client.SendTextAsync("""{"op":0,"d":{"auth":""}}""");

        // Then
        Assert.That((int?)await client.ReceiveCloseAsync(), Is.EqualTo(ListenMoeCodec.CloseCodes.AlreadyAuthenticated));
    }

    [Test]
    public async Task Auth_OnV2_IsIgnoredAndTheWelcomeComesFirst()
    {
        // Given the default gateway, which has no auth
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await TestClient.ConnectAsync(mock.Url);
        var welcome = await client.ReceiveJsonAsync();

        // When a v1 client authenticates anyway
        await client.SendTextAsync("""{"op":0,"d":{"auth":"Bearer whatever"}}""");
        await client.ReceiveJsonAsync();
        await client.SendTextAsync("""{"op":9}""");

        // Then the gateway carries on: the heartbeat is acknowledged, nothing is closed
        using (Assert.EnterMultipleScope())
        {
            Assert.That(welcome["d"]!.AsObject().ContainsKey("user"), Is.False);
            Assert.That(Op.Of(await client.ReceiveJsonAsync()), Is.EqualTo(10));
        }
    }
}
