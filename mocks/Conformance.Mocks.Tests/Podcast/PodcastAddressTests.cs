using Conformance.Mocks.Protocols.Podcast;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The UDP address a podcast event announces (Hello: the server's socket; Connected: the client's), read and replaced
/// in every envelope, as the recording proxy does to put its relay in between.
/// </summary>
[Category("podcast")]
public sealed class PodcastAddressTests
{
    [TestCase("""{"t":1,"data":{"podcast_id":7,"ip":"10.0.0.2","port":42000,"secret":[1,2]}}""", """{"t":1,"data":{"podcast_id":7,"ip":"127.0.0.1","port":5000,"secret":[1,2]}}""")]
    [TestCase("""{"event_type":1,"data":{"port":42000,"ip":"10.0.0.2"}}""", """{"event_type":1,"data":{"port":5000,"ip":"127.0.0.1"}}""")]
    [TestCase("""{"type":2,"content":{"ip":"10.0.0.2","port":42000}}""", """{"type":2,"content":{"ip":"127.0.0.1","port":5000}}""")]
    public void WithAddress_InAnyEnvelope_ReplacesOnlyTheAddress(string announced, string replaced)
    {
        // Given an event announcing 10.0.0.2:42000
        var before = PodcastCodec.Parse(announced)!;

        // When the address is replaced
        var after = PodcastCodec.WithAddress(announced, "127.0.0.1", 5000);

        // Then it was read as announced, and only it changed
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PodcastCodec.Address(before.Data), Is.EqualTo(("10.0.0.2", 42000)));
            Assert.That(after, Is.EqualTo(replaced));
        }
    }

    [Test]
    public void WithAddress_OfAFrameThatIsNotAnEvent_LeavesItAsItIs()
    {
        Assert.That(PodcastCodec.WithAddress("not json", "127.0.0.1", 5000), Is.EqualTo("not json"));
    }
}
