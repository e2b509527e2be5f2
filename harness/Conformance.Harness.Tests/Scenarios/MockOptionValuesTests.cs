using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary>
/// Text mock options with a closed set of values (Nightingale's dialect, Discodo's resumedForm, the podcast envelope):
/// the loader takes exactly the values their <see cref="AllowedValuesAttribute"/> lists, and the mock understands each.
/// </summary>
public sealed class MockOptionValuesTests
{
    [TestCaseSource(nameof(AllowedValues))]
    public async Task AllowedValue_BoundFromAScenario_StartsTheMock(string protocol, string option, string value)
    {
        // Given the protocol's options with the value bound as a scenario's mock: section binds it
        var module = ProtocolRegistry.Find(protocol)!;
        var options = module.CreateOptions();
        var setting = new MockSetting(option, value, null, new SourceMark("test", 1, 1));
        Assert.That(MockOptionBinder.Validate(module.OptionsType, [setting]), Is.Empty);
        MockOptionBinder.Apply(options, [setting]);

        // When the mock starts with them
        await using var mock = await module.StartMockAsync(options, new MockHostOptions(), new Transcript());

        // Then it runs (a value it did not know would have thrown ArgumentException)
        Assert.That(mock.Protocol, Is.EqualTo(protocol));
    }

    [Test]
    public void AllowedValues_AreOnTheOptionsThatHaveAClosedSet()
    {
        // Given / When every option that lists its values
        var listed = AllowedValues().Select(c => $"{c.Arguments[0]}.{c.Arguments[1]}").Distinct();

        // Then
        Assert.That(listed, Is.EquivalentTo(new[] { "listenmoe.gateway", "nightingale.dialect", "discodo.resumedForm", "podcast.envelope" }));
    }

    [Test]
    public void Validate_ValueOutsideTheSet_NamesTheValueAndTheKnownOnes()
    {
        // Given a dialect the mock does not speak
        var setting = new MockSetting("dialect", "legacy", null, new SourceMark("s.yaml", 5, 3)) { ValueMark = new SourceMark("s.yaml", 5, 12) };

        // When the binder checks it
        var errors = MockOptionBinder.Validate(ProtocolRegistry.Find("nightingale")!.OptionsType, [setting]);

        // Then the error points at the value
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { "s.yaml:5:12: mock option 'dialect': unknown value 'legacy' (known: current, seed)" }));
    }

    private static IEnumerable<TestCaseData> AllowedValues() =>
        from module in ProtocolRegistry.All
        from property in module.OptionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        let allowed = property.GetCustomAttribute<AllowedValuesAttribute>()
        where allowed is not null
        from value in allowed.Values
        let option = char.ToLowerInvariant(property.Name[0]) + property.Name[1..]
        select new TestCaseData(module.Id, option, (string)value!).SetArgDisplayNames(module.Id, option, (string)value!);
}
