using System.CommandLine;
using System.Runtime.InteropServices;
using Conformance.Harness;
using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Harness.Recording;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Transcripts;

namespace Conformance.Cli.Commands;

/// <summary>
/// <c>conformance record --protocol p --upstream &lt;url&gt; [--listen port] [--client cmd] [--duration d] [--out dir]
/// [--name n]</c>: a recording proxy between a client and a server. Prints <c>proxy &lt;ws url&gt;</c>, <c>http
/// &lt;url&gt;</c> and <c>ready</c>; records until the duration is up, the client exits, or SIGINT / SIGTERM; then writes
/// <c>&lt;name&gt;.transcript.json</c> and <c>&lt;name&gt;.yaml</c>, a scenario that replays the server's side, and checks
/// that it loads.
/// </summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var protocol = new Option<string>("--protocol") { Description = "Protocol spoken: " + string.Join(", ", ProtocolRegistry.Ids), Required = true };
        var upstream = new Option<string>("--upstream")
        {
            Description = "The server: a ws:// or wss:// URL of the endpoint the client uses (its path is the client's CONFORMANCE_URL path); " +
                "REST calls go to the same host.",
            Required = true,
        };
        var listen = new Option<int>("--listen") { Description = "Port the proxy listens on, on 127.0.0.1 (default: an ephemeral port)." };
        var client = new Option<string?>("--client")
        {
            Description = "Start this client pointed at the proxy (the contract's variables; your environment passes on, with its credentials); " +
                "without it, point your client at the printed proxy URL yourself.",
        };
        var duration = new Option<string>("--duration") { Description = "How long to record (default 5s); a client is stopped then.", DefaultValueFactory = _ => "5s" };
        var output = new Option<string>("--out") { Description = "Folder for the transcript and the scenario (default: the current one).", DefaultValueFactory = _ => "." };
        var name = new Option<string>("--name") { Description = "File name and last id segment of the scenario (default: session).", DefaultValueFactory = _ => "session" };
        var command = new Command("record", "Record a client's session with a server through a proxy, and write a scenario that replays it.")
        {
            protocol, upstream, listen, client, duration, output, name,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var id = parse.GetValue(protocol)!;
            if (ProtocolRegistry.Find(id) is not { } module)
            {
                return Usage($"unknown protocol '{id}' (known: {string.Join(", ", ProtocolRegistry.Ids)})");
            }

            if (module.Recording is null)
            {
                return Usage($"{id} cannot be recorded yet");
            }

            if (!Uri.TryCreate(parse.GetValue(upstream), UriKind.Absolute, out var server) || server.Scheme is not ("ws" or "wss" or "http" or "https"))
            {
                return Usage($"--upstream '{parse.GetValue(upstream)}': expected a ws://, wss://, http:// or https:// URL");
            }

            if (!Durations.TryParse(parse.GetValue(duration)!, out var length) || length <= TimeSpan.Zero)
            {
                return Usage($"--duration '{parse.GetValue(duration)}': expected a duration such as 5s or 1500ms");
            }

            var fileName = parse.GetValue(name)!;
            if (fileName.Length == 0 || fileName.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            {
                return Usage($"--name '{fileName}': use a-z, 0-9 and '-'");
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            var options = new RecordOptions(module, server, $"{module.Id}/recorded/{fileName}")
            {
                Port = parse.GetValue(listen),
                Client = parse.GetValue(client) is { } command ? new ClientSpec(command) : null,
                Duration = length,
            };
            var session = await Recorder.RecordAsync(options, proxy =>
            {
                Console.WriteLine($"proxy {proxy.WebSocketUrl(server.PathAndQuery)}");
                Console.WriteLine($"http {proxy.HttpUrl.ToString().TrimEnd('/')}");
                Console.WriteLine("ready");
            }, stop.Token).ConfigureAwait(false);

            var folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var scenarioPath = Path.Combine(folder, fileName + ".yaml");
            var transcriptPath = Path.Combine(folder, fileName + ".transcript.json");
            await File.WriteAllTextAsync(transcriptPath, TranscriptJson.Write(session.Transcript), CancellationToken.None).ConfigureAwait(false);
            await File.WriteAllTextAsync(scenarioPath, session.Scenario, CancellationToken.None).ConfigureAwait(false);
            var (_, errors) = new ScenarioLoader(Specs.Default).Load(scenarioPath, session.Scenario);
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync($"conformance: the written scenario does not load (a bug of record): {error}").ConfigureAwait(false);
            }

            var connections = session.Transcript.OfType<ConnectionOpened>().Count();
            Console.WriteLine($"recorded {connections} connection(s), {session.Transcript.OfType<FrameRecorded>().Count()} frame(s), " +
                $"{session.Transcript.OfType<HttpExchange>().Count()} HTTP exchange(s)");
            Console.WriteLine($"wrote {scenarioPath}");
            Console.WriteLine($"wrote {transcriptPath}");
            return errors.Count > 0 ? ExitCodes.Failed : connections == 0 ? ExitCodes.Failed : ExitCodes.Passed;
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("conformance: " + message);
        return ExitCodes.Usage;
    }
}
