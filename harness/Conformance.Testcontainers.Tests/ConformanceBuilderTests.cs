namespace Conformance.Testcontainers.Tests;

/// <summary>The command line and the checks of <see cref="ConformanceBuilder"/>; no engine needed.</summary>
public sealed class ConformanceBuilderTests
{
    [Test]
    public void Arguments_ByDefault_ServeEveryAddressOnThePublishedPort()
    {
        var builder = new ConformanceBuilder("conformance:local").WithProtocol("listenmoe");

        Assert.That(
            ServeCommandLine.Arguments(builder.Configuration),
            Is.EqualTo(new[] { "serve", "listenmoe", "--host", "0.0.0.0", "--port", "8080" }));
    }

    [Test]
    public void Arguments_WithScenarioOptionsAndHostNetwork_ServeLoopbackOnAFreePortWithEachSetting()
    {
        var builder = new ConformanceBuilder("conformance:local")
            .WithProtocol("plugdj")
            .WithScenario("some/dir/login.yaml")
            .WithMockOption("authDeadline", "1s")
            .WithMockOption("songs", "[{\"title\": \"a b\"}]")
            .WithHostNetwork();

        Assert.That(
            ServeCommandLine.Arguments(builder.Configuration),
            Is.EqualTo(new[]
            {
                "serve", "plugdj", "--host", "127.0.0.1", "--port", "0", "--scenario", "/tmp/conformance/login.yaml",
                "--option", "authDeadline=1s", "--option", "songs=[{\"title\": \"a b\"}]",
            }));
        Assert.That(builder.Configuration.Scenario, Is.EqualTo(Path.GetFullPath("some/dir/login.yaml")));
    }

    [Test]
    public void With_OnABuilder_LeavesThatBuilderAsItWas()
    {
        var listenMoe = new ConformanceBuilder("conformance:local").WithProtocol("listenmoe");

        var withOption = listenMoe.WithMockOption("seed", "7");
        var otherProtocol = listenMoe.WithProtocol("discodo");

        Assert.That(listenMoe.Configuration.MockOptions, Is.Empty);
        Assert.That(withOption.Configuration.MockOptions, Is.EqualTo(new[] { KeyValuePair.Create("seed", "7") }));
        Assert.That(otherProtocol.Configuration.Protocol, Is.EqualTo("discodo"));
        Assert.That(listenMoe.Configuration.Protocol, Is.EqualTo("listenmoe"));
    }

    [Test]
    public void Build_WithoutProtocol_SaysToCallWithProtocol()
    {
        var builder = new ConformanceBuilder("conformance:local");

        var error = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.That(error!.Message, Does.StartWith("Call WithProtocol first"));
    }

    [Test]
    public void Build_WithMissingScenarioFile_NamesTheFile()
    {
        var missing = Path.Combine(TestContext.CurrentContext.WorkDirectory, "no-such-scenario.yaml");
        var builder = new ConformanceBuilder("conformance:local").WithProtocol("listenmoe").WithScenario(missing);

        var error = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.That(error!.Message, Does.StartWith("Scenario file not found: " + missing));
    }

    [TestCase("ListenMoe")]
    [TestCase("listen moe")]
    [TestCase("--protocol")]
    public void WithProtocol_NotAProtocolId_Throws(string protocol)
    {
        var error = Assert.Throws<ArgumentException>(() => new ConformanceBuilder("conformance:local").WithProtocol(protocol));

        Assert.That(error!.Message, Does.Contain($"'{protocol}' is not a protocol id"));
    }

    [TestCase("heartbeat=Interval")]
    [TestCase("heartbeat Interval")]
    [TestCase(" ")]
    public void WithMockOption_NameWithEqualsOrSpace_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => new ConformanceBuilder("conformance:local").WithMockOption(name, "1s"));
    }
}
