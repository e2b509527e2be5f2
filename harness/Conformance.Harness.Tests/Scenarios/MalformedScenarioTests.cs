using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary>
/// The malformed corpus (<c>ScenarioFiles/malformed</c>): each file has one problem, and its <c>.expected.txt</c>
/// holds the exact <c>path:line:col: message</c> lines the loader must print for it.
/// </summary>
[TestFixture]
public sealed class MalformedScenarioTests
{
    [Test]
    public void Corpus_HasAtLeastTwentyFiles_EachWithExpectedOutput()
    {
        // Given the malformed corpus
        var files = RepoFiles.MalformedScenarios();

        // When each file's expected output is looked for
        var missing = files.Where(f => !File.Exists(Path.ChangeExtension(f, ".expected.txt"))).Select(Path.GetFileName).ToList();

        // Then there are enough files and none lacks its expected output
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files, Has.Count.GreaterThanOrEqualTo(20));
            Assert.That(missing, Is.Empty);
        }
    }

    [TestCaseSource(nameof(Corpus))]
    public void Load_MalformedFile_ReportsExactlyTheExpectedLinesAndNoScenario(string path)
    {
        // Given a scenario file with one problem, and the lines the loader is expected to print for it
        var expected = RepoFiles.ExpectedLines(path);

        // When the loader reads it
        var (scenario, errors) = new ScenarioLoader(Specs.Default).Load(path, File.ReadAllText(path));

        // Then it reports exactly those lines and gives no scenario
        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Select(e => e.ToString()).ToArray(), Is.EqualTo(expected));
            Assert.That(scenario, Is.Null);
        }
    }

    [Test]
    public void Load_UnknownStepKind_SuggestsClosestKind()
    {
        // Given a step kind with one letter missing
        var path = RepoFiles.Malformed("unknown-step-kind");

        // When the loader reads it
        var (_, errors) = new ScenarioLoader(Specs.Default).Load(path, File.ReadAllText(path));

        // Then the message points at the key and suggests the kind that was meant
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { $"{path}:5:5: unknown step 'expect_conect'; did you mean 'expect_connect'?" }));
    }

    [Test]
    public void Load_MisspeltTopLevelKey_SuggestsClosestKey()
    {
        // Given a top-level key with one letter missing
        var path = RepoFiles.Malformed("unknown-top-level-key");

        // When the loader reads it
        var (_, errors) = new ScenarioLoader(Specs.Default).Load(path, File.ReadAllText(path));

        // Then the message suggests the key that was meant
        Assert.That(errors.Single().Message, Is.EqualTo("unknown key 'descripton' in scenario; did you mean 'description'?"));
    }

    private static IEnumerable<TestCaseData> Corpus() =>
        RepoFiles.MalformedScenarios().Select(path => new TestCaseData(path).SetArgDisplayNames(Path.GetFileName(path)));
}
