using System.Net;
using Conformance.Mocks.Protocols.Podcast;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Credentials on every request (discord-podcasts/documentation reference.md §Authorization; the 401 texts of
/// discord-podcasts/backend-beta src/authentication.rs), and the <c>id</c> a listener's upgrade names.
/// </summary>
[Category("podcast")]
public sealed class PodcastAuthTests
{
    private const string DefaultId = "1001";
    private const string DefaultSecret = "conformance-secret";
    private const string Missing = "Missing authentication data";
    private const string NotANumber = "Your client id is not a number";
    private const string Invalid = "Invalid client_secret formatting";

    private static readonly string[] Paths = ["/ws", "/listen?id=3735928559"];

    private static IEnumerable<TestCaseData> BadCredentials() =>
        from path in Paths
        from bad in new[]
        {
            (Id: (string?)null, Secret: (string?)null, Text: Missing),
            (Id: null, Secret: DefaultSecret, Text: Missing),
            (Id: DefaultId, Secret: null, Text: Missing),
            (Id: "abc", Secret: DefaultSecret, Text: NotANumber),
            (Id: "-1001", Secret: DefaultSecret, Text: NotANumber),
            (Id: DefaultId, Secret: "wrong-secret", Text: Invalid),
            (Id: "1002", Secret: DefaultSecret, Text: Invalid),
        }
        select new TestCaseData(path, bad.Id, bad.Secret, bad.Text);

    [TestCaseSource(nameof(BadCredentials))]
    public async Task Upgrade_WithMissingOrBadCredentials_Is401WithTheReasonAsText(string path, string? id, string? secret, string text)
    {
        // Given
        await using var mock = await PodcastMock.StartAsync();
        using var http = new PodcastHttp(mock);

        // When
        var reply = await http.UpgradeAsync(path, new PodcastCredentials(id, secret));

        // Then
        reply.AssertText(HttpStatusCode.Unauthorized, text);
        var refused = mock.Transcript.Snapshot().OfType<ConnectionRefused>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(401));
            Assert.That(mock.Connections, Is.Empty);
        }
    }

    [TestCase("/list", null, null, Missing)]
    [TestCase("/podcast?id=3735928559", null, DefaultSecret, Missing)]
    [TestCase("/list", "abc", DefaultSecret, NotANumber)]
    [TestCase("/podcast?id=3735928559", DefaultId, "wrong-secret", Invalid)]
    [TestCase("/podcast?id=not-a-number", null, null, Missing)]
    public async Task Rest_WithMissingOrBadCredentials_Is401WithTheReasonAsText(string path, string? id, string? secret, string text)
    {
        // Given
        await using var mock = await PodcastMock.StartAsync();
        using var http = new PodcastHttp(mock);

        // When
        var reply = await http.GetAsync(path, new PodcastCredentials(id, secret));

        // Then the credentials are checked before the id
        reply.AssertText(HttpStatusCode.Unauthorized, text);
    }

    [Test]
    public async Task Upgrade_WithOtherConfiguredCredentials_AcceptsThoseAndRefusesTheDefaults()
    {
        // Given
        await using var mock = await PodcastMock.StartAsync(o =>
        {
            o.ClientId = "42";
            o.ClientSecret = "s3cret";
        });
        using var http = new PodcastHttp(mock);

        // When
        var defaults = await http.UpgradeAsync("/ws", new PodcastCredentials(DefaultId, DefaultSecret));
        await using var host = await PodcastClient.HostAsync(mock);
        var hello = await host.ReadHelloAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(defaults.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(hello, Does.StartWith("""{"t":1,"""));
            Assert.That(mock.Transcript.Snapshot().OfType<ConnectionOpened>().Single().Headers["client_id"], Is.EqualTo("42"));
        }
    }

    [TestCase("/listen")]
    [TestCase("/listen?id=")]
    [TestCase("/listen?id=abc")]
    [TestCase("/listen?id=-3735928559")]
    [TestCase("/listen?id=1.5")]
    public async Task Listen_WithoutOrWithABadId_Is400InvalidPodcastId(string path)
    {
        // Given
        await using var mock = await PodcastMock.StartAsync();
        using var http = new PodcastHttp(mock);

        // When
        var reply = await http.UpgradeAsync(path, PodcastCredentials.Of(mock));

        // Then
        reply.AssertText(HttpStatusCode.BadRequest, "Invalid podcast id");
        Assert.That(mock.Transcript.Snapshot().OfType<ConnectionRefused>().Single().Status, Is.EqualTo(400));
    }

    [TestCase("/listen?id=3735928560")]
    [TestCase("/listen?id=1")]
    public async Task Listen_WithAnUnknownId_Is404PodcastDoesntExist(string path)
    {
        // Given only the simulated podcast, 3735928559
        await using var mock = await PodcastMock.StartAsync();
        using var http = new PodcastHttp(mock);

        // When
        var reply = await http.UpgradeAsync(path, PodcastCredentials.Of(mock));

        // Then
        reply.AssertText(HttpStatusCode.NotFound, "Podcast doesn't exist");
    }
}
