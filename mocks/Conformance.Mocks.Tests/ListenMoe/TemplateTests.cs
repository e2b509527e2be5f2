using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>Named templates, optionally patched, are how scenarios send scripted frames.</summary>
[Category("listenmoe")]
public sealed class TemplateTests
{
    [Test]
    public async Task SendTemplate_WithMergePatch_ChangesOnlyThePatchedField()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await TestClient.ConnectAsync(mock.Url);
        await client.ReceiveJsonAsync();
        var plain = await client.ReceiveJsonAsync();
        var patch = JsonNode.Parse("""{"d":{"requester":{"name":"some-username"}}}""");

        // When
        var sent = await mock.SendTemplateAsync(mock.LatestConnection!, ListenMoeMock.Templates.CurrentTrack, patch);
        var patched = await client.ReceiveJsonAsync();

        // Then
        var requester = patched["d"]!["requester"];
        patched["d"]!["requester"] = null;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.True);
            Assert.That(requester?.ToJsonString(), Is.EqualTo("""{"name":"some-username"}"""));
            Assert.That(JsonNode.DeepEquals(patched, plain), Is.True, "everything else is as rendered");
        }
    }

    [Test]
    public async Task SendTemplate_UnknownName_ThrowsNamingItAndTheKnownTemplates()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        var thrown = Assert.ThrowsAsync<ArgumentException>(() => mock.SendTemplateAsync(mock.LatestConnection!, "queue_update"));

        // Then
        Assert.That(thrown.Message, Does.Contain("'queue_update'")
            .And.Contain(ListenMoeMock.Templates.Welcome)
            .And.Contain(ListenMoeMock.Templates.TrackUpdate)
            .And.Contain(ListenMoeMock.Templates.HeartbeatAck));
    }

    [Test]
    public async Task TemplateNames_ListEveryRenderableTemplate()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();

        // When
        var rendered = mock.TemplateNames.ToDictionary(n => n, n => mock.RenderTemplate(n, null), StringComparer.Ordinal);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered[ListenMoeMock.Templates.Welcome]["op"]!.GetValue<int>(), Is.Zero);
            Assert.That(rendered[ListenMoeMock.Templates.TrackUpdate]["t"]!.GetValue<string>(), Is.EqualTo("TRACK_UPDATE"));
            Assert.That(rendered[ListenMoeMock.Templates.CurrentTrack]["t"]!.GetValue<string>(), Is.EqualTo("TRACK_UPDATE"));
            Assert.That(rendered[ListenMoeMock.Templates.TrackUpdateRequest]["t"]!.GetValue<string>(), Is.EqualTo("TRACK_UPDATE_REQUEST"));
            Assert.That(rendered[ListenMoeMock.Templates.HeartbeatAck]["op"]!.GetValue<int>(), Is.EqualTo(10));
        }
    }
}
