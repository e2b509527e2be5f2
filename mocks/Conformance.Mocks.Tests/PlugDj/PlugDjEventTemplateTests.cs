using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Seed 001 §Event Messages: a JSON array of one or more <c>{a, p, s}</c> events, <c>s</c> the room slug or
/// "dashboard"; digest §2 lists each action's <c>p</c>. Templates are how scenarios push them.
/// </summary>
[Category("plugdj")]
public sealed class PlugDjEventTemplateTests
{
    /// <summary>Account-wide events (digest §2: earn and ban always "dashboard"; maintenance and killSession are not about a room).</summary>
    private static readonly string[] Dashboard = ["earn", "ban", "killSession", "plugMaintenance", "plugMaintenanceAlert"];

    /// <summary>Events that happen in a room.</summary>
    private static readonly string[] Room =
    [
        "advance", "chat", "chatDelete", "vote", "grab", "userJoin", "userLeave", "userUpdate", "djListUpdate", "djListCycle",
        "djListLocked", "modSkip",
    ];

    private static readonly string[] UserKeys =
        ["id", "username", "avatarID", "language", "guest", "level", "role", "gRole", "joined", "badge", "slug", "sub"];

    public static IEnumerable<string> TemplateNames => PlugDjMock.EventTemplates;

    [Test]
    public async Task EventTemplates_AreTheTemplateNamesAndCoverTheSeedsCatalogue()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();

        // When
        var names = mock.TemplateNames;

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EquivalentTo(PlugDjMock.EventTemplates));
            Assert.That(names, Is.Unique);
            Assert.That(names, Is.SupersetOf(Dashboard.Concat(Room)));
        }
    }

    [TestCaseSource(nameof(TemplateNames))]
    public async Task Template_Rendered_IsAOneEventArrayForTheRoomOrTheDashboard(string name)
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.Room = "some-room");

        // When
        var frame = mock.RenderTemplate(name, null);

        // Then
        Assert.That(frame, Is.InstanceOf<JsonArray>(), () => frame.ToJsonString());
        var events = frame.AsArray();
        Assert.That(events, Has.Count.EqualTo(1), () => frame.ToJsonString());
        var e = events[0]!.AsObject();
        var slug = e["s"]!.GetValue<string>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Select(kv => kv.Key), Is.EquivalentTo(new[] { "a", "p", "s" }));
            Assert.That(e["a"]!.GetValue<string>(), Is.EqualTo(name));
            if (Dashboard.Contains(name))
            {
                Assert.That(slug, Is.EqualTo("dashboard"));
            }
            else if (Room.Contains(name))
            {
                Assert.That(slug, Is.EqualTo("some-room"));
            }
            else
            {
                Assert.That(slug, Is.AnyOf("some-room", "dashboard"));
            }
        }
    }

    [TestCaseSource(nameof(TemplateNames))]
    public async Task Template_Rendered_HasTheDocumentedParameterShape(string name)
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();

        // When
        var p = mock.RenderTemplate(name, null)[0]!["p"];

        // Then
        using (Assert.EnterMultipleScope())
        {
            AssertShape(name, p);
        }
    }

    [Test]
    public async Task SendTemplates_AdvanceVoteGrab_GoOutAsOneFrameOfThreeEvents()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        var sent = await mock.SendTemplatesAsync(mock.LatestConnection!, ["advance", "vote", "grab"], origin: "step 1");
        var events = await PlugDjSocket.ReceiveEventsAsync(client);

        // Then
        var batch = PlugDjSocket.Frames(mock).Where(f => f.Direction == Direction.ServerToClient).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.True);
            Assert.That(events.Select(e => e!["a"]!.GetValue<string>()), Is.EqualTo(new[] { "advance", "vote", "grab" }));
            Assert.That(events.Select(e => e!["s"]!.GetValue<string>()), Has.All.EqualTo("tastycat"));
            Assert.That(batch, Has.Count.EqualTo(2), "the ack, then one frame for the batch");
            Assert.That(batch[^1].Origin, Is.EqualTo("step 1"));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(batch[^1].Text!), events), Is.True, "the client got what was recorded");
        }
    }

    [Test]
    public async Task SendTemplates_WithStaleSlug_PutsItOnEveryEvent()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        await mock.SendTemplatesAsync(mock.LatestConnection!, ["advance", "earn", "chat"], JsonNode.Parse("""{"s":"chillout"}"""));
        var events = await PlugDjSocket.ReceiveEventsAsync(client);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Select(e => e!["a"]!.GetValue<string>()), Is.EqualTo(new[] { "advance", "earn", "chat" }));
            Assert.That(events.Select(e => e!["s"]!.GetValue<string>()), Has.All.EqualTo("chillout"));
        }
    }

    [TestCaseSource(nameof(TemplateNames))]
    public async Task Render_WithStaleSlug_PutsItOnTheEventAndKeepsTheRest(string name)
    {
        // Given two mocks with the same seed, so the same render comes out of both
        await using var plain = await PlugDjMock.StartAsync();
        await using var patched = await PlugDjMock.StartAsync();

        // When
        var expected = plain.Render(name, null, null);
        var actual = patched.Render(name, null, JsonNode.Parse("""{"s":"chillout"}"""));

        // Then
        expected[0]!["s"] = "chillout";
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, () => $"{actual.ToJsonString()} vs {expected.ToJsonString()}");
    }

    [Test]
    public async Task SendTemplate_SingleEvent_ReachesTheClientAsRendered()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        var sent = await mock.SendTemplateAsync(mock.LatestConnection!, "plugMaintenanceAlert");
        var e = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.True);
            Assert.That(e.ToJsonString(), Is.EqualTo("""{"a":"plugMaintenanceAlert","p":15,"s":"dashboard"}"""));
        }
    }

    [Test]
    public async Task SendTemplate_UnknownName_ThrowsNamingItAndTheKnownTemplates()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        var thrown = Assert.ThrowsAsync<ArgumentException>(() => mock.SendTemplateAsync(mock.LatestConnection!, "modBanana"));

        // Then
        Assert.That(thrown.Message, Does.Contain("'modBanana'").And.Contain("advance").And.Contain("killSession"));
    }

    [Test]
    public async Task ControlApiSend_TemplateWithPatch_ReachesTheClient()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);
        using var http = new HttpClient { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };

        // When
        using var content = new StringContent("""{"template":"vote","with":{"s":"chillout","p":{"v":-1}}}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/_conformance/send", UriKind.Relative), content);
        var vote = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"sent":1}"""));
            Assert.That(vote["a"]!.GetValue<string>(), Is.EqualTo("vote"));
            Assert.That(vote["s"]!.GetValue<string>(), Is.EqualTo("chillout"));
            Assert.That(vote["p"]!["v"]!.GetValue<int>(), Is.EqualTo(-1));
            Assert.That(vote["p"]!["i"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Number), "the rest of p is kept");
        }
    }

    /// <summary>Each action's <c>p</c> as digest §2 documents it.</summary>
    private static void AssertShape(string name, JsonNode? p)
    {
        var json = p?.ToJsonString() ?? "null";
        switch (name)
        {
            case "advance":
                Assert.That(Keys(p), Is.EquivalentTo(new[] { "c", "d", "h", "m", "p", "t" }), json);
                Assert.That(Kind(p!["c"]), Is.EqualTo(JsonValueKind.Number), json);
                Assert.That(p!["d"], Is.InstanceOf<JsonArray>(), json);
                Assert.That(p!["h"]!.GetValue<string>(), Does.Match("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"), json);
                Assert.That(Keys(p!["m"]), Is.EquivalentTo(new[] { "cid", "title", "author", "image", "duration", "format", "id" }), json);
                Assert.That(p!["m"]!["format"]!.GetValue<int>(), Is.AnyOf(1, 2), json);
                Assert.That(Kind(p!["p"]), Is.EqualTo(JsonValueKind.Number), json);
                Assert.That(p!["t"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$"), json);
                break;
            case "chat":
                Assert.That(Keys(p), Is.EquivalentTo(new[] { "message", "un", "cid", "uid", "sub" }), json);
                Assert.That(p!["cid"]!.GetValue<string>(), Does.Match($"^{p["uid"]!.GetValue<int>()}-[0-9]+$"), "cid is <uid>-<ms>");
                break;
            case "chatDelete":
                Assert.That(Keys(p), Is.EquivalentTo(new[] { "c", "mi" }), json);
                break;
            case "vote":
                Assert.That(Keys(p), Is.EquivalentTo(new[] { "i", "v" }), json);
                Assert.That(p!["v"]!.GetValue<int>(), Is.AnyOf(1, -1), json);
                break;
            case "grab" or "userLeave" or "levelUp" or "plugMaintenanceAlert":
                Assert.That(Kind(p), Is.EqualTo(JsonValueKind.Number), json);
                break;
            case "userJoin":
                Assert.That(Keys(p), Is.EquivalentTo(UserKeys), json);
                break;
            case "userUpdate":
                Assert.That(Keys(p), Does.Contain("i"), json);
                Assert.That(Keys(p).Except(["i"]), Is.Not.Empty.And.SubsetOf(new[] { "username", "level", "avatarID", "badge", "guest" }), json);
                break;
            case "djListUpdate":
                Assert.That(p, Is.InstanceOf<JsonArray>(), json);
                Assert.That(p!.AsArray().Select(Kind), Has.All.EqualTo(JsonValueKind.Number), json);
                break;
            case "djListCycle":
                Assert.That(Keys(p), Is.SupersetOf(new[] { "m", "mi" }), json);
                Assert.That(Keys(p).Intersect(["f", "c"]), Is.Not.Empty, json);
                break;
            case "djListLocked":
                Assert.That(Keys(p), Is.EquivalentTo(new[] { "c", "f", "m", "mi" }), json);
                break;
            case "modSkip":
                Assert.That(Keys(p), Is.EquivalentTo(new[] { "m", "mi" }), json);
                break;
            case "earn":
                Assert.That(Keys(p), Is.EquivalentTo(new[] { "xp", "pp", "level" }), json);
                break;
            case "notify":
                Assert.That(Keys(p), Is.EquivalentTo(new[] { "action", "id", "timestamp", "value" }), json);
                break;
            case "plugMessage":
                Assert.That(Kind(p), Is.EqualTo(JsonValueKind.String), json);
                break;
            case "plugMaintenance" or "killSession" or "floodChat" or "rateLimit":
                Assert.That(json, Is.EqualTo("{}"));
                break;
            case "ban":
                Assert.That(Keys(p), Is.EquivalentTo(new[] { "t", "d", "r" }), json);
                Assert.That(p!["t"]!.GetValue<string>(), Is.EqualTo("ban"), json);
                break;
            default:
                Assert.Fail($"No documented shape for '{name}' in the digest: add one here.");
                break;
        }
    }

    private static List<string> Keys(JsonNode? node) => node is JsonObject o ? [.. o.Select(kv => kv.Key)] : [];

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;
}
