using Conformance.Harness.Running;

namespace Conformance.NUnit.Tests;

/// <summary>A misspelt feature in the attribute is a configuration error that lists the known ones.</summary>
[ConformanceClient("true", Features = ["chta"])]
public sealed class MisspeltClientFeatureTests
{
    [Test]
    public void RunOptions_UnknownFeatureInTheAttribute_ThrowsNamingItAndTheKnownOnes()
    {
        // Given this fixture's attribute with a misspelt feature, not overridden
        Assume.That(TestContext.Parameters.Get("ConformanceFeatures"), Is.Null);
        Assume.That(Environment.GetEnvironmentVariable(ClientFeatures.EnvironmentVariable), Is.Null);

        // When the settings are read / Then they are refused with the closest name and the known ones
        var error = Assert.Throws<InvalidOperationException>(() => ConformanceSettings.RunOptions());
        Assert.That(error.Message, Is.EqualTo(
            "[ConformanceClient(Features = ...)]: unknown client feature 'chta'; did you mean 'chat'? (known: listenmoe: track-request; plugdj: rest-login, chat; discodo: none; nightingale: none; podcast: host, listener)"));
    }
}
