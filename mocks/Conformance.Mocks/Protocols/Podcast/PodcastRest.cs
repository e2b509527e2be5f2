using System.Globalization;
using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.Podcast;

/// <summary>
/// The REST routes (discord-podcasts/documentation resources/podcast.md): <c>GET /podcast?id=</c> and <c>GET /list</c>,
/// with the credentials every request carries (reference.md). The Podcast object is snake_case with a numeric host, as
/// the documents since c1db4e8 and the Rust servers send it.
/// </summary>
internal sealed class PodcastRest(PodcastMock mock)
{
    /// <summary>A fixed epoch for <c>active_since</c>, plus the run's clock, so answers do not depend on the day.</summary>
    private const long Epoch = 1_700_000_000_000;

    public IReadOnlyList<HttpRoute> Routes() =>
    [
        new("GET", "/podcast", Podcast) { Name = "podcast" },
        new("GET", "/list", List) { Name = "list" },
    ];

    private Task<HttpReply> Podcast(HttpRequestContext request)
    {
        if (mock.Authorize(request.Http) is { } refused)
        {
            return Task.FromResult(new HttpReply(refused.Status, refused.Body, refused.ContentType));
        }

        if (!long.TryParse(request.Http.Request.Query["id"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return Task.FromResult(new HttpReply(400, "Invalid podcast id", "text/plain; charset=utf-8"));
        }

        return Task.FromResult(mock.Find(id) is { } podcast
            ? new HttpReply(200, JsonText.Write(Json(podcast)))
            : new HttpReply(404, "Podcast doesn't exist", "text/plain; charset=utf-8"));
    }

    private Task<HttpReply> List(HttpRequestContext request) =>
        Task.FromResult(mock.Authorize(request.Http) is { } refused
            ? new HttpReply(refused.Status, refused.Body, refused.ContentType)
            : new HttpReply(200, JsonText.Write(new JsonObject { ["podcasts"] = new JsonArray([.. mock.Podcasts.Select(p => (JsonNode)Json(p))]) })));

    /// <summary>The Podcast object: id, host (the host's client id), active_since (ms since the epoch, null until the host is confirmed).</summary>
    private static JsonObject Json(Podcast podcast) => new()
    {
        ["id"] = podcast.Id,
        ["host"] = podcast.Host?.ClientId,
        ["active_since"] = podcast.ActiveSince is { } at ? Epoch + (long)at.TotalMilliseconds : null,
    };
}
