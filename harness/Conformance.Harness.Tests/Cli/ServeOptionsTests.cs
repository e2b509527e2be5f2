using System.Text.Json.Nodes;
using Conformance.Cli.Commands;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Harness.Tests.Cli;

/// <summary><c>serve</c>'s <c>--option name=value</c> and <c>--host</c>, and the URLs it announces for a wildcard bind.</summary>
public sealed class ServeOptionsTests
{
    [Test]
    public void ParseMockOptions_ScalarsAndJson_BecomeSettingsThatApply()
    {
        var (settings, errors) = ServeOptions.ParseMockOptions(
            typeof(ListenMoeOptions), ["heartbeatInterval=250ms", "welcomeMessage=a=b c", "songs=[{\"title\": \"x\"}]"]);
        var options = new ListenMoeOptions();

        MockOptionBinder.Apply(options, settings);

        Assert.That(errors, Is.Empty);
        Assert.That(options.HeartbeatInterval, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(options.WelcomeMessage, Is.EqualTo("a=b c"));
        Assert.That(options.Songs, Is.InstanceOf<JsonArray>());
    }

    [Test]
    public void ParseMockOptions_BadArguments_EachNamedWithItsProblem()
    {
        var (_, errors) = ServeOptions.ParseMockOptions(
            typeof(ListenMoeOptions), ["heartbeat", "nope=1", "heartbeatInterval=soon", "songs=[oops"]);

        Assert.That(errors, Has.Count.EqualTo(4));
        Assert.That(errors, Has.Some.StartsWith("--option 'heartbeat': expected name=value"));
        Assert.That(errors, Has.Some.StartsWith("--option 'nope=1': unknown mock option 'nope'"));
        Assert.That(errors, Has.Some.StartsWith("--option 'heartbeatInterval=soon': mock option 'heartbeatInterval': expected a duration"));
        Assert.That(errors, Has.Some.StartsWith("--option 'songs=[oops': the value is not valid JSON"));
    }

    [Test]
    public void ParseMockOptions_ValueOutsideAnOptionsSet_NamesTheKnownValues()
    {
        var (_, errors) = ServeOptions.ParseMockOptions(typeof(Mocks.Protocols.Podcast.PodcastOptions), ["envelope=rust2022", "envelope=json"]);

        Assert.That(errors, Is.EqualTo(new[]
        {
            "--option 'envelope=rust2022': mock option 'envelope': unknown value 'rust2022'; did you mean 'rust-2022'?",
            "--option 'envelope=json': mock option 'envelope': unknown value 'json' (known: current, rust-2022, kotlin-2022)",
        }));
    }

    [TestCase("127.0.0.1", true)]
    [TestCase("0.0.0.0", true)]
    [TestCase("::", true)]
    [TestCase("1", false)]
    [TestCase("localhost", false)]
    public void TryParseHost_TakesAddressesOnly(string text, bool expected)
    {
        Assert.That(ServeOptions.TryParseHost(text, out _), Is.EqualTo(expected));
    }
}
