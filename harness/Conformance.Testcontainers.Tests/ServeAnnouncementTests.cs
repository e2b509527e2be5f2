namespace Conformance.Testcontainers.Tests;

/// <summary>Reading serve's <c>&lt;name&gt; &lt;url&gt;</c> lines, and turning them into URLs that reach the container.</summary>
public sealed class ServeAnnouncementTests
{
    private const string ListenMoe =
        "gateway ws://0.0.0.0:8080/gateway_v2\nkpop ws://127.0.0.1:8080/kpop/gateway_v2\nhttp http://127.0.0.1:8080\nready\n";

    [Test]
    public void TryParse_BeforeReady_IsFalse()
    {
        Assert.That(ServeAnnouncement.TryParse(ListenMoe[..ListenMoe.IndexOf("ready", StringComparison.Ordinal)], out _), Is.False);
    }

    [Test]
    public void TryParse_UpToReady_GivesEndpointsInOrderAndTheHttpBase()
    {
        Assert.That(ServeAnnouncement.TryParse(ListenMoe.Replace("\n", "\r\n", StringComparison.Ordinal), out var announcement), Is.True);

        Assert.That(announcement!.Endpoints.Keys, Is.EqualTo(new[] { "gateway", "kpop" }));
        Assert.That(announcement.Endpoints["kpop"], Is.EqualTo(new Uri("ws://127.0.0.1:8080/kpop/gateway_v2")));
        Assert.That(announcement.HttpUrl, Is.EqualTo(new Uri("http://127.0.0.1:8080")));
    }

    [Test]
    public void TryParse_OtherLines_AreNotEndpoints()
    {
        var output = "warming up\n" + ListenMoe + "mock fault: boom\n";

        Assert.That(ServeAnnouncement.TryParse(output, out var announcement), Is.True);
        Assert.That(announcement!.Endpoints.Keys, Is.EqualTo(new[] { "gateway", "kpop" }));
    }

    [Test]
    public void OnHost_KeepsSchemeAndPath()
    {
        var url = EndpointUrl.OnHost(new Uri("ws://127.0.0.1:8080/gateway_v2?x=1"), "docker.example", 32768);

        Assert.That(url.ToString(), Is.EqualTo("ws://docker.example:32768/gateway_v2?x=1"));
    }
}
