using System.CommandLine;
using System.Runtime.InteropServices;
using Conformance.Harness;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;
using Conformance.Harness.Stubs;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Cli.Commands;

/// <summary>
/// <c>conformance serve &lt;protocol&gt; [--host address] [--port n] [--scenario file] [--option name=value]...
/// [--mappings dir]</c>: prints <c>&lt;name&gt; &lt;url&gt;</c> per endpoint, then <c>http &lt;url&gt;</c> and <c>ready</c>, and
/// serves until SIGINT or SIGTERM. A scenario's <c>mock:</c> settings apply, then each <c>--option</c> over them; its
/// stubs and the mapping files' are served by WireMock.Net in front of the mock's routes, with WireMock's admin API
/// under <c>/__admin</c>; a scenario's steps do not run.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var protocol = new Argument<string>("protocol") { Description = "Protocol id: " + string.Join(", ", ProtocolRegistry.Ids) };
        var host = new Option<string>("--host")
        {
            Description = "Address to bind, e.g. 0.0.0.0 in a container (default: 127.0.0.1, this machine only).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port") { Description = "Port to listen on (default: an ephemeral port)." };
        var scenario = new Option<string?>("--scenario") { Description = "Take the mock's settings from this scenario file." };
        var mockOptions = new Option<string[]>("--option")
        {
            Description = "Set a mock option, name=value as in a scenario's mock: block (repeatable; applied after --scenario).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var profile = new Option<string?>("--profile")
        {
            Description = "Serve this protocol profile (dialect; conformance list shows them); a --scenario that pins one serves its own. " +
                "Default: the protocol's first.",
        };
        var mappings = new Option<string?>("--mappings")
        {
            Description = "A folder of WireMock mapping files (*.json, WireMock's JSON shape): HTTP stubs in front of the mock's routes.",
        };
        var command = new Command("serve", "Run a protocol's mock until interrupted.") { protocol, host, port, scenario, profile, mockOptions, mappings };
        command.SetAction(async (parse, cancellation) =>
        {
            var id = parse.GetValue(protocol)!;
            if (ProtocolRegistry.Find(id) is not { } module)
            {
                await Console.Error.WriteLineAsync($"conformance: unknown protocol '{id}' (known: {string.Join(", ", ProtocolRegistry.Ids)})").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var options = module.CreateOptions();
            var stubs = new List<HttpStub>();
            var profileName = parse.GetValue(profile);
            if ((profileName is null ? module.Default() : module.FindProfile(profileName)) is not { } dialect)
            {
                await Console.Error.WriteLineAsync($"conformance: {module.UnknownProfile(profileName!)}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            MockOptionBinder.Apply(options, dialect.Settings);
            if (parse.GetValue(scenario) is { } file)
            {
                var (loaded, errors) = ScenarioSource.Load([file], Specs.Default);
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                }

                if (errors.Count > 0)
                {
                    return ExitCodes.Usage;
                }

                if (loaded[0].Profile is { } pinned)
                {
                    MockOptionBinder.Apply(options, module.FindProfile(pinned)!.Settings);
                }

                MockOptionBinder.Apply(options, loaded[0].Mock.Values);
                stubs.AddRange(loaded[0].Stubs);
            }

            if (parse.GetValue(mappings) is { } folder)
            {
                var (read, errors) = MappingFiles.Load(folder);
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                }

                if (errors.Count > 0)
                {
                    return ExitCodes.Usage;
                }

                stubs.AddRange(read);
            }

            var (settings, problems) = ServeOptions.ParseMockOptions(options.GetType(), parse.GetValue(mockOptions) ?? []);
            if (!ServeOptions.TryParseHost(parse.GetValue(host)!, out var address))
            {
                problems = [.. problems, $"--host '{parse.GetValue(host)}': expected an IP address such as 127.0.0.1 or 0.0.0.0"];
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync("conformance: " + problem).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            MockOptionBinder.Apply(options, settings);

            var stop = new TaskCompletionSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
            var mock = await module.StartMockAsync(options, new MockHostOptions { Address = address, Port = parse.GetValue(port) }, new Transcript())
                .ConfigureAwait(false);
            // WireMock.Net serves the stubs, and its admin API under /__admin on the mock's URL, even with no stubs yet.
            using var stubServer = await StubServer.StartAsync(stubs, options: new StubServerOptions { AdminApi = true }).ConfigureAwait(false);
            stubServer.Install(mock.Host);
            mock.Transcript.Appended += entry =>
            {
                if (entry is MockFault fault)
                {
                    Console.Error.WriteLine("mock fault: " + fault.Detail);
                }
            };
            foreach (var (name, url) in mock.Urls)
            {
                Console.WriteLine($"{name} {url}");
            }

            Console.WriteLine($"http {mock.HttpUrl.ToString().TrimEnd('/')}");
            Console.WriteLine("ready");
            await Console.Out.FlushAsync(cancellation).ConfigureAwait(false);
            try
            {
                await stop.Task.WaitAsync(cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // System.CommandLine cancels on SIGINT / SIGTERM too; either way it is the requested stop.
            }

            try
            {
                await mock.DisposeAsync().ConfigureAwait(false);
            }
            catch (AggregateException)
            {
                return ExitCodes.Failed;
            }

            return ExitCodes.Passed;
        });
        return command;
    }
}
