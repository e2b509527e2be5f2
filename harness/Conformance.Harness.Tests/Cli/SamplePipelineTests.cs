using System.Text;
using System.Text.RegularExpressions;
using Conformance.Cli;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Tests.Cli;

/// <summary>
/// The sample CI pipelines (samples/github-actions, samples/gitlab-ci) are valid YAML, and every conformance command in
/// them parses with this CLI's own options: a renamed option breaks this test before it breaks a user's pipeline.
/// </summary>
public sealed partial class SamplePipelineTests
{
    private static readonly string Samples = Path.GetFullPath(Path.Combine(Conformance.Fixtures.FixturePaths.Root, "..", "samples"));

    [TestCase("github-actions/conformance.yml")]
    [TestCase("gitlab-ci/.gitlab-ci.yml")]
    public void Pipeline_ConformanceCommands_ParseWithTheCliAndPublishJUnitAndTheReport(string file)
    {
        // Given the pipeline's YAML
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Samples, file)))
        {
            yaml.Load(reader);
        }

        // When its conformance command lines are found and parsed by the CLI (CI variables stood in for by values)
        var lines = Scalars(yaml.Documents[0].RootNode).Where(s => ConformanceCommand().IsMatch(s.Replace("\n", " ", StringComparison.Ordinal).Trim()))
            .Select(s => s.Replace("\n", " ", StringComparison.Ordinal).Trim()).ToList();
        var errors = lines.SelectMany(l => Program.Root().Parse(Words(l)).Errors.Select(e => $"{l}: {e.Message}")).ToList();

        // Then there is a run with --junit, --report and --shard, and a merge, and the CLI takes every one of them
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Has.Some.Contains(" run ").And.Contains("--junit").And.Contains("--report").And.Contains("--shard"));
            Assert.That(lines, Has.Some.Contains(" merge "));
            Assert.That(errors, Is.Empty);
        }
    }

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlMappingNode mapping => mapping.Children.SelectMany(p => Scalars(p.Value)),
        _ => [],
    };

    /// <summary>The arguments after the conformance command, as a POSIX shell splits them, with variables given values.</summary>
    private static string[] Words(string line)
    {
        line = Variable().Replace(line, "1");
        var words = new List<string>();
        var word = new StringBuilder();
        var quote = '\0';
        var inWord = false;
        foreach (var c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return [.. words.SkipWhile(w => !w.EndsWith("conformance", StringComparison.Ordinal)).Skip(1)];
    }

    [GeneratedRegex(@"(^|/)conformance (run|merge) ")]
    private static partial Regex ConformanceCommand();

    [GeneratedRegex(@"\$\{\{[^}]*\}\}|\$\{?[A-Z_]+\}?")]
    private static partial Regex Variable();
}
