using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary><c>POST /_conformance/reset</c> and <c>GET /_conformance/transcript?from=N</c>, for scripts driving a standalone mock.</summary>
[Category("hosting")]
public sealed class ControlResetTests
{
    [Test]
    public async Task PostReset_DropsConnectionsRestartsTheSongsAndAnswersWhereTheTranscriptGoesOn()
    {
        // Given a client connected and the song moved on twice
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        var first = mock.RenderTemplate(ListenMoeMock.Templates.CurrentTrack, null)["d"]!["song"]!.ToJsonString();
        mock.RenderTemplate(ListenMoeMock.Templates.TrackUpdate, null);
        mock.RenderTemplate(ListenMoeMock.Templates.TrackUpdate, null);
        using var http = new HttpClient { BaseAddress = mock.HttpUrl };

        // When the control API resets the mock
        var reset = await http.PostAsync(new Uri("/_conformance/reset", UriKind.Relative), null);
        var from = (await reset.Content.ReadFromJsonAsync<JsonObject>())!["from"]!.GetValue<int>();

        // Then the connection was dropped, the first song plays again, and reading from 'from' skips the old entries
        Assert.That(mock.Connections.Single().IsOpen, Is.False);
        Assert.That(mock.RenderTemplate(ListenMoeMock.Templates.CurrentTrack, null)["d"]!["song"]!.ToJsonString(), Is.EqualTo(first));
        var old = JsonNode.Parse(await http.GetStringAsync(new Uri("/_conformance/transcript", UriKind.Relative)))!.AsArray();
        var fresh = JsonNode.Parse(await http.GetStringAsync(new Uri($"/_conformance/transcript?from={from}", UriKind.Relative)))!.AsArray();
        Assert.That(old.Any(e => (string?)e!["kind"] == nameof(ConnectionOpened)), Is.True);
        Assert.That(fresh.All(e => e!["index"]!.GetValue<int>() >= from), Is.True);
        Assert.That(fresh.Any(e => (string?)e!["kind"] == nameof(ConnectionOpened)), Is.False);
    }
}
