using Conformance.Cli;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary><c>conformance validate</c>, run in-process with the console captured.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ValidateCommandTests
{
    private TextWriter _savedOut = null!;
    private TextWriter _savedError = null!;
    private StringWriter _out = null!;
    private StringWriter _error = null!;

    [SetUp]
    public void CaptureConsole()
    {
        _savedOut = Console.Out;
        _savedError = Console.Error;
        _out = new StringWriter();
        _error = new StringWriter();
        Console.SetOut(_out);
        Console.SetError(_error);
    }

    [TearDown]
    public void RestoreConsole()
    {
        Console.SetOut(_savedOut);
        Console.SetError(_savedError);
        _out.Dispose();
        _error.Dispose();
    }

    [Test]
    public async Task Validate_MalformedFile_ExitsWithTwoAndPrintsPathLineColumnMessage()
    {
        // Given a scenario file with a misspelt step kind
        var path = RepoFiles.Malformed("unknown-step-kind");

        // When it is validated
        var exit = await Program.Main(["validate", path]);

        // Then the exit code is 2 and stderr holds exactly the loader's line for it
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
            Assert.That(Lines(_error), Is.EqualTo(new[] { $"{path}:5:5: unknown step 'expect_conect'; did you mean 'expect_connect'?" }));
            Assert.That(Lines(_out), Is.Empty);
        }
    }

    [Test]
    public async Task Validate_BuiltInSuiteFolder_ExitsWithZeroAndCountsTheFiles()
    {
        // Given the built-in listenmoe suite
        var folder = Path.Combine(RepoFiles.Root, "specs", "listenmoe", "scenarios");
        var count = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories).Count();

        // When the folder is validated
        var exit = await Program.Main(["validate", folder]);

        // Then every file is valid
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Passed));
            Assert.That(Lines(_error), Is.Empty);
            Assert.That(Lines(_out), Is.EqualTo(new[] { $"{count} scenario file(s) valid" }));
        }
    }

    [Test]
    public async Task Validate_FolderWithTwoFilesOfTheSameId_ExitsWithTwoAndNamesTheFirstFile()
    {
        // Given a folder with two valid scenarios that share an id
        var folder = Directory.CreateTempSubdirectory("conformance-validate-").FullName;
        try
        {
            const string Yaml = """
                id: listenmoe/dup/same
                protocol: listenmoe
                rules: [listenmoe.connect.endpoint]
                steps:
                  - expect_connect: { path: /gateway_v2 }
                """;
            var first = Path.Combine(folder, "a.yaml");
            var second = Path.Combine(folder, "b.yaml");
            await File.WriteAllTextAsync(first, Yaml);
            await File.WriteAllTextAsync(second, Yaml);

            // When the folder is validated
            var exit = await Program.Main(["validate", folder]);

            // Then the exit code is 2 and the second file is reported at its start, naming the first
            using (Assert.EnterMultipleScope())
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
                Assert.That(Lines(_error), Is.EqualTo(new[] { $"{second}:1:1: scenario id 'listenmoe/dup/same' is already used by {first}" }));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Validate_MissingFile_ExitsWithTwoAndSaysSo()
    {
        // Given a path where there is no file
        var path = Path.Combine(RepoFiles.MalformedFolder, "no-such-scenario.yaml");

        // When it is validated
        var exit = await Program.Main(["validate", path]);

        // Then the exit code is 2 and the path is reported at 1:1
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
            Assert.That(Lines(_error), Is.EqualTo(new[] { $"{path}:1:1: no such file or folder" }));
        }
    }

    private static string[] Lines(StringWriter writer) =>
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
