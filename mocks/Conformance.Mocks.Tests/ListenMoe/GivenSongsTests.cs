using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>The <c>songs</c> option replaces the generated catalogue with a scenario's own songs.</summary>
[Category("listenmoe")]
public sealed class GivenSongsTests
{
    [Test]
    public async Task Songs_Given_PlayInOrderFromTheFirstAndRoundAgain()
    {
        // Given three songs, one without albums or duration at all
        var songs = JsonNode.Parse("""
            [{"id":1,"title":"one","sources":[],"artists":[],"albums":[],"duration":60,"favorite":false},
             {"id":2,"title":"two","artists":[],"favorite":true},
             {"id":3,"title":"three","sources":[],"artists":[],"albums":[],"duration":0,"favorite":false}]
            """);
        await using var mock = await ListenMoeMock.StartAsync(o => o.Songs = songs);

        // When the current track is rendered and the song changes four times
        var ids = new List<int> { SongId(mock.RenderTemplate(ListenMoeMock.Templates.CurrentTrack, null)) };
        for (var i = 0; i < 4; i++)
        {
            ids.Add(SongId(mock.RenderTemplate(ListenMoeMock.Templates.TrackUpdate, null)));
        }

        // Then the list plays from its first song, in order, and round again, sent exactly as given
        Assert.That(ids, Is.EqualTo(new[] { 1, 2, 3, 1, 2 }));
        var second = mock.RenderTemplate(ListenMoeMock.Templates.CurrentTrack, null)["d"]!["song"]!;
        Assert.That(second.ToJsonString(), Is.EqualTo("""{"id":2,"title":"two","artists":[],"favorite":true}"""));
    }

    [Test]
    public void Songs_NotAnArrayOfObjects_IsRejectedWithTheValue()
    {
        var error = Assert.ThrowsAsync<ArgumentException>(() => ListenMoeMock.StartAsync(o => o.Songs = JsonNode.Parse("[1, 2]")));

        Assert.That(error!.Message, Does.Contain("[1,2]"));
    }

    private static int SongId(JsonNode frame) => frame["d"]!["song"]!["id"]!.GetValue<int>();
}
