using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Conformance.Fixtures;

namespace Conformance.NUnit.Tests;

/// <summary>
/// The packages as a user in another repository gets them: this build packed into a local folder feed (the dotnet tool
/// and Conformance.Mocks, .Harness and .NUnit, under a version of their own so no cached package stands in for them),
/// then, in a folder outside the repository, the tool installed from the feed and run on the Node reference client, and
/// <c>samples/dotnet-test</c> restored from the feed and run with <c>dotnet test</c>, filtered by protocol and rule.
/// </summary>
[Category("e2e")]
[NonParallelizable]
public sealed class PackagedSampleTests
{
    private const string Rule = "listenmoe.heartbeat.first-beat";
    private static readonly string[] Projects = ["mocks/Conformance.Mocks", "harness/Conformance.Harness", "harness/Conformance.NUnit", "harness/Conformance.Cli"];
    private static readonly string Repository = Path.GetFullPath(Path.Combine(FixturePaths.Root, ".."));
    private readonly string _version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    private string _work = null!;
    private string _feed = null!;

    [OneTimeSetUp]
    public async Task PackAsync()
    {
        _work = Directory.CreateTempSubdirectory("conformance-user-").FullName;
        _feed = Path.Combine(_work, "feed");

        // The build that is under test, packed as it is (ci/pack.sh packs a Release build the same way).
        foreach (var project in Projects)
        {
            await RunAsync(Repository, "dotnet", "pack", Path.Combine(Repository, project), "-c", Configuration, "--no-build", "-nologo", "-v", "quiet",
                $"-p:PackageVersion={_version}", "-o", _feed);
        }
    }

    [OneTimeTearDown]
    public void Clean()
    {
        Directory.Delete(_work, recursive: true);
        // The packages this test restored into the user's package folder, under its own version: nobody else uses them.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "conformance.mocks", "conformance.harness", "conformance.nunit", "conformance.tool" })
        {
            var folder = Path.Combine(packages, id, _version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Test]
    public async Task Tool_InstalledFromTheFeedInAnEmptyFolder_RunsTheNodeReferenceClientAndExitsZero()
    {
        // Given an empty folder outside the repository, with the tool installed there from the feed
        var folder = Directory.CreateDirectory(Path.Combine(_work, "tool-user")).FullName;
        await RunAsync(folder, "dotnet", "tool", "install", "Conformance.Tool", "--version", _version, "--add-source", _feed, "--tool-path", Path.Combine(folder, "tools"));
        var conformance = Path.Combine(folder, "tools", "conformance");

        // When it prints its version, and runs the built-in LISTEN.moe scenarios of one rule on the Node reference client
        var version = await RunAsync(folder, conformance, "--version");
        var run = await RunAsync(folder, conformance, "run", "--protocol", "listenmoe", "--client", FixturePaths.ListenMoeNode,
            "--features", "track-request", "--scenario", Path.Combine(Repository, "specs", "listenmoe", "scenarios", "heartbeat"),
            "--junit", "junit.xml", "--report", "report");

        // Then it exits 0 with every scenario passed, and writes its reports into that folder
        using (Assert.EnterMultipleScope())
        {
            Assert.That(version.Trim(), Is.EqualTo(typeof(ConformanceCases).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion),
                "the version of the build packed");
            Assert.That(run, Does.Contain("4 passed, 0 warned, 0 failed, 0 errors, 0 skipped (4 scenarios)"));
            Assert.That(File.Exists(Path.Combine(folder, "report", "index.html")), Is.True);
            Assert.That(XDocument.Load(Path.Combine(folder, "junit.xml")).Descendants("testcase").Count(), Is.EqualTo(4));
        }
    }

    [Test]
    public async Task Sample_RestoredFromTheFeedOutsideTheRepository_PassesDotnetTestFilteredByRule()
    {
        // Given samples/dotnet-test copied out of the repository, its feed pointed at the one packed above, its bot's
        // npm packages installed
        var sample = Path.Combine(_work, "sample");
        Copy(Path.Combine(Repository, "samples", "dotnet-test"), sample);
        var config = Path.Combine(sample, "nuget.config");
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace("../../artifacts/feed", _feed, StringComparison.Ordinal));
        await RunAsync(Path.Combine(sample, "client"), "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");

        // When its tests of one rule run, and then those of the protocol's track-request scenarios the bot does not declare
        var byRule = await RunAsync(sample, "dotnet", "test", $"-p:ConformanceVersion={_version}", "--filter", $"TestCategory={Rule}", "-nologo");
        var skipped = await RunAsync(sample, "dotnet", "test", $"-p:ConformanceVersion={_version}", "--no-build", "--filter",
            "TestCategory=listenmoe&TestCategory=listenmoe.track.refresh", "-nologo");

        // Then the rule's scenarios pass (the built-in suite came inside the package), and the others are skipped, not failed
        using (Assert.EnterMultipleScope())
        {
            Assert.That(byRule, Does.Match(@"Passed!\s+- Failed:\s+0, Passed:\s+[1-9]\d*, Skipped:\s+\d+"));
            Assert.That(skipped, Does.Match(@"Skipped!\s+- Failed:\s+0, Passed:\s+0, Skipped:\s+[1-9]"));
        }
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar) is var parts && parts.Any(p => p is "bin" or "obj" or "node_modules"))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    /// <summary>Runs a command to its end (at most 5 minutes); its output, or a failure with the output when it exits non-zero.</summary>
    private static async Task<string> RunAsync(string directory, string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A user's shell, not this test run's: no MSBuild or test-host settings leak into the commands.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) ||
            k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k is "DOTNET_HOST_PATH" or "MSBUILDEXTENSIONSPATH" or "MSBUILD_EXE_PATH").ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        output.Append(await stdout).Append(await stderr);
        Assert.That(process.ExitCode, Is.Zero, $"{command} {string.Join(' ', arguments)} in {directory}:\n{output}");
        return output.ToString();
    }
}
