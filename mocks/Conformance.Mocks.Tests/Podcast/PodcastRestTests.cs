using System.Net;
using Conformance.Mocks.Protocols.Podcast;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The REST routes (discord-podcasts/documentation resources/podcast.md at c1db4e8): <c>GET /list</c> and
/// <c>GET /podcast?id=</c>, the Podcast object snake_case with a numeric host and <c>active_since</c> in milliseconds.
/// </summary>
[Category("podcast")]
public sealed class PodcastRestTests
{
    /// <summary>The fixed epoch the mock counts active_since from (PodcastRest).</summary>
    private const long Epoch = 1_700_000_000_000;

    [Test]
    public async Task List_AtStart_HoldsTheSimulatedPodcastHostedByClientOneAndActive()
    {
        // Given
        await using var mock = await PodcastMock.StartAsync();
        using var http = new PodcastHttp(mock);

        // When
        var list = (await http.GetAsync("/list")).AssertJson();

        // Then
        var podcast = list["podcasts"]!.AsArray().Single()!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "podcasts" }));
            Assert.That(podcast.Select(p => p.Key), Is.EqualTo(new[] { "id", "host", "active_since" }));
            Assert.That(podcast["id"]!.GetValue<long>(), Is.EqualTo(mock.Options.PodcastId));
            Assert.That(podcast["host"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(podcast["active_since"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(Epoch));
        }
    }

    [Test]
    public async Task Podcast_OfAHostNotYetConnected_HasActiveSinceNull()
    {
        // Given
        await using var rig = await PodcastRig.HostAsync(join: false);
        using var http = new PodcastHttp(rig.Mock);

        // When
        var reply = await http.GetAsync($"/podcast?id={rig.Client.PodcastId}");

        // Then
        reply.AssertJson();
        Assert.That(reply.Raw, Is.EqualTo($$"""{"id":{{rig.Client.PodcastId}},"host":2,"active_since":null}"""));
    }

    [Test]
    public async Task Podcast_OfAConfirmedHost_HasActiveSinceAfterTheSimulatedOnes()
    {
        // Given
        await using var rig = await PodcastRig.HostAsync();
        using var http = new PodcastHttp(rig.Mock);

        // When
        var hosted = (await http.GetAsync($"/podcast?id={rig.Client.PodcastId}")).AssertJson();
        var simulated = (await http.GetAsync($"/podcast?id={rig.Mock.Options.PodcastId}")).AssertJson();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hosted["host"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(hosted["active_since"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(simulated["active_since"]!.GetValue<long>()));
        }
    }

    [Test]
    public async Task List_WithAHostedPodcast_HoldsBothInIdOrder()
    {
        // Given
        await using var rig = await PodcastRig.HostAsync(join: false);
        using var http = new PodcastHttp(rig.Mock);

        // When
        var list = (await http.GetAsync("/list")).AssertJson();

        // Then
        var podcasts = list["podcasts"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(podcasts.Select(p => p!["id"]!.GetValue<long>()), Is.EqualTo(new[] { rig.Mock.Options.PodcastId, rig.Client.PodcastId }));
            Assert.That(podcasts.Select(p => p!["host"]!.GetValue<long>()), Is.EqualTo(new[] { 1L, 2L }));
            Assert.That(podcasts[1]!["active_since"], Is.Null);
        }
    }

    [TestCase("/podcast", HttpStatusCode.BadRequest, "Invalid podcast id")]
    [TestCase("/podcast?id=abc", HttpStatusCode.BadRequest, "Invalid podcast id")]
    [TestCase("/podcast?id=3735928560", HttpStatusCode.NotFound, "Podcast doesn't exist")]
    public async Task Podcast_WithoutAnIdOrAnUnknownOne_IsRefusedAsText(string path, HttpStatusCode status, string text)
    {
        // Given
        await using var mock = await PodcastMock.StartAsync();
        using var http = new PodcastHttp(mock);

        // When
        var reply = await http.GetAsync(path);

        // Then
        reply.AssertText(status, text);
    }
}
