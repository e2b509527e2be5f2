using System.Text.Json.Nodes;
using Conformance.Mocks.Json;
using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>The generated songs: reproducible per seed, and covering what seed 000's example shows clients must handle.</summary>
[Category("listenmoe")]
public sealed class SongCatalogTests
{
    [Test]
    public async Task TrackUpdate_SameSeed_IsIdenticalAcrossMocks()
    {
        // Given
        await using var first = await ListenMoeMock.StartAsync(o => o.Seed = 7);
        await using var second = await ListenMoeMock.StartAsync(o => o.Seed = 7);
        await using var firstClient = await HeartbeatTests.ConnectedPastTrackAsync(first);
        await using var secondClient = await HeartbeatTests.ConnectedPastTrackAsync(second);

        // When
        await first.ChangeTrackAsync();
        await second.ChangeTrackAsync();
        var fromFirst = await firstClient.ReceiveTextAsync();
        var fromSecond = await secondClient.ReceiveTextAsync();

        // Then
        Assert.That(fromSecond, Is.EqualTo(fromFirst));
    }

    [Test]
    public async Task TrackUpdate_DifferentSeeds_Differ()
    {
        // Given
        await using var first = await ListenMoeMock.StartAsync(o => o.Seed = 7);
        await using var second = await ListenMoeMock.StartAsync(o => o.Seed = 8);

        // When
        var fromFirst = Render(first, 3);
        var fromSecond = Render(second, 3);

        // Then
        Assert.That(fromSecond, Is.Not.EqualTo(fromFirst));
    }

    [Test]
    public async Task TrackUpdate_TwelveRenders_CoverTheSeedsAwkwardValues()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();

        // When
        var songs = Enumerable.Range(0, 12)
            .Select(_ => mock.RenderTemplate(ListenMoeMock.Templates.TrackUpdate, null)["d"]!["song"]!.AsObject())
            .ToList();

        // Then
        var entities = songs.SelectMany(s => s["artists"]!.AsArray().Concat(s["albums"]!.AsArray()).Concat(s["sources"]!.AsArray()))
            .Select(e => e!.AsObject())
            .ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(songs.Select(s => s["title"]!.GetValue<string>()), Has.Some.Matches<string>(IsJapanese), "a Japanese title");
            Assert.That(entities, Has.Some.Matches<JsonObject>(e => e.ContainsKey("nameRomaji") && e["nameRomaji"] is null), "a null nameRomaji");
            Assert.That(songs, Has.Some.Matches<JsonObject>(s => s["albums"]!.AsArray().Count == 0), "an empty albums array");
            Assert.That(songs, Has.Some.Matches<JsonObject>(s => s["sources"]!.AsArray().Count == 0), "an empty sources array");
            Assert.That(songs, Has.Some.Matches<JsonObject>(s => s["duration"]!.GetValue<int>() == 0), "a duration of 0");
            Assert.That(songs, Has.Some.Matches<JsonObject>(s => s["duration"]!.GetValue<int>() > 0), "a real duration");
        }
    }

    private static List<string> Render(ListenMoeMock mock, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => JsonText.Write(mock.RenderTemplate(ListenMoeMock.Templates.TrackUpdate, null)))];

    private static bool IsJapanese(string text) =>
        text.Any(c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF');
}
