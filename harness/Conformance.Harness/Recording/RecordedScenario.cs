using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Recording;

/// <summary>
/// Turns a recorded session into a scenario that replays the server's side and asserts the client's:
/// <list type="bullet">
/// <item>the mock is <c>scripted</c> (it does nothing of its own), and every frame the server sent is a <c>send</c> of
/// the recorded text, after the recorded wait, on the connection it went to;</item>
/// <item>every REST call is an HTTP stub answering as the server did (status, headers, body), and an
/// <c>expect_http</c>;</item>
/// <item>every connection is an <c>expect_connect</c> with the path, query and the headers the client chose;</item>
/// <item>every client frame but heartbeats is an <c>expect</c> of its JSON, with clock readings (Unix times in seconds
/// or milliseconds) loosened to <c>{ $is: integer }</c>; heartbeats are left to the protocol's monitors, which judge
/// them against the interval the replayed welcome advertises.</item>
/// </list>
/// Each expectation is judged on the rule the protocol names for it (<see cref="RecordingRules"/>).
/// </summary>
public static class RecordedScenario
{
    // Headers every client sends, or that name the machine rather than the client's choices: not asserted on replay.
    private static readonly HashSet<string> IncidentalHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Upgrade", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Cache-Control", "Pragma",
        "Content-Length", "Content-Type", "Transfer-Encoding", "Keep-Alive", "Expect", "Traceparent", "Request-Id",
    };

    // Answer headers a stub must not repeat: the stub server sets them itself.
    private static readonly HashSet<string> ServerHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Date", "Server", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
    };

    private static readonly TimeSpan FirstConnect = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The scenario YAML for <paramref name="entries"/>, recorded from <paramref name="upstream"/>; what happened from
    /// <paramref name="stoppingAt"/> on (the recorder stopping the client) is left out.
    /// </summary>
    public static string Write(
        IReadOnlyList<TranscriptEntry> entries, IProtocolModule module, string id, string upstream, DateTimeOffset recordedAt, TimeSpan? stoppingAt = null)
    {
        var rules = module.Recording ?? throw new ArgumentException($"{module.Id} cannot be recorded", nameof(module));
        var steps = new List<string>();
        var used = new List<string>();
        var names = new Dictionary<int, string>();
        var stubs = new List<string>();
        var stubbed = new HashSet<(string, string)>();
        var last = TimeSpan.Zero;
        var end = entries.Count == 0 ? TimeSpan.Zero : entries[^1].At;
        var stoppedAt = stoppingAt ?? end;
        var connections = entries.OfType<ConnectionOpened>().Count();
        var frames = 0;

        void Expect(string line, string rule)
        {
            steps.Add($"{line}, rule: {rule} }}");
            if (!used.Contains(rule))
            {
                used.Add(rule);
            }
        }

        // The first expectation waits as long as a client process may take to start; the others three times the recorded gap.
        string Window(TimeSpan at) => Durations.Format(Whole(used.Count == 0 ? FirstConnect : Max(MinimumWindow, (at - last) * 3)));

        foreach (var entry in entries)
        {
            switch (entry)
            {
                case ConnectionOpened opened when opened.At < stoppedAt:
                    {
                        var name = names[opened.Connection] = $"c{names.Count + 1}";
                        var within = used.Count == 0 ? FirstConnect : Max(MinimumWindow + MinimumWindow, Whole((opened.At - last) * 3));
                        var query = Query(opened.Query);
                        var headers = opened.Headers.Where(h => !IncidentalHeaders.Contains(h.Key) && !h.Key.StartsWith("Sec-WebSocket-", StringComparison.OrdinalIgnoreCase))
                            .OrderBy(h => h.Key, StringComparer.Ordinal).ToList();
                        Expect(
                            $"  - expect_connect: {{ path: {Quote(opened.Path)}" +
                            (query.Count == 0 ? "" : $", query: {{ {string.Join(", ", query.Select(q => $"{Quote(q.Key)}: {Quote(q.Value)}"))} }}") +
                            (headers.Count == 0 ? "" : $", headers: {{ {string.Join(", ", headers.Select(h => $"{Quote(h.Key)}: {Quote(h.Value)}"))} }}") +
                            $", within: {Durations.Format(within)}, as: {name}",
                            rules.Connect);
                        last = opened.At;
                        break;
                    }

                case FrameRecorded { Direction: Direction.ServerToClient } frame when rules.Scripted && names.ContainsKey(frame.Connection) && frame.At < stoppedAt:
                    {
                        var wait = frame.At - last;
                        if (wait >= TimeSpan.FromMilliseconds(5))
                        {
                            steps.Add($"  - wait: {Durations.Format(Whole(Min(wait, LongestWait)))}");
                        }

                        var payload = frame.Kind == FrameKind.Text && frame.Text is { } text
                            ? $"text: {Quote(text)}"
                            : $"binary: {Convert.ToBase64String(frame.Binary ?? [])}";
                        steps.Add($"  - send: {{ on: {names[frame.Connection]}, {payload} }}");
                        frames++;
                        last = frame.At;
                        break;
                    }

                case FrameRecorded { Direction: Direction.ClientToServer } frame when names.ContainsKey(frame.Connection) && frame.At < stoppedAt:
                    {
                        frames++;
                        if (module.IsHeartbeat(frame))
                        {
                            break;
                        }

                        var match = frame.Kind == FrameKind.Binary ? "binary: true"
                            : JsonText.TryParse(frame.Text) is JsonObject or JsonArray ? $"json: {Flow(Loosen(JsonText.TryParse(frame.Text)!, rules.VolatileKeys))}"
                            : $"text: {Quote(frame.Text ?? "")}";
                        Expect($"  - expect: {{ on: {names[frame.Connection]}, {match}, within: {Window(frame.At)}", rules.ClientFrame(frame));
                        last = frame.At;
                        break;
                    }

                case ConnectionClosed closed when names.ContainsKey(closed.Connection) && closed.At < stoppedAt:
                    {
                        var name = names[closed.Connection];
                        if (closed.By == CloseInitiator.Server && rules.Scripted)
                        {
                            AddWait(steps, closed.At - last);
                            steps.Add($"  - close: {{ on: {name}, code: {closed.Code ?? 1000}{(string.IsNullOrEmpty(closed.Reason) ? "" : $", reason: {Quote(closed.Reason)}")} }}");
                        }
                        else if (closed.By == CloseInitiator.ServerDropped && rules.Scripted)
                        {
                            AddWait(steps, closed.At - last);
                            steps.Add($"  - drop: {{ on: {name} }}");
                        }
                        else if (closed.By == CloseInitiator.Client)
                        {
                            Expect($"  - expect_close: {{ on: {name}, within: {Window(closed.At)}", rules.Connect);
                        }

                        last = closed.At;
                        break;
                    }

                case HttpExchange http when http.At < stoppedAt:
                    {
                        if (stubbed.Add((http.Method, http.Path)))
                        {
                            stubs.Add(Stub(http));
                        }

                        Expect($"  - expect_http: {{ method: {http.Method}, path: {Quote(http.Path)}, within: {Window(http.At)}", rules.Http);
                        last = http.At;
                        break;
                    }

                default:
                    break;
            }
        }

        // The rest of the recording: the monitors judge the heartbeats of the replay over as long a time.
        AddWait(steps, Min(stoppedAt - last, LongestWait));
        if (used.Count == 0)
        {
            used.Add(rules.Connect);
        }

        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"# Recorded by conformance record from {upstream} on {recordedAt:yyyy-MM-dd HH:mm:ss}Z: ")
            .Append(CultureInfo.InvariantCulture, $"{connections} connection(s), {frames} frame(s), {entries.OfType<HttpExchange>().Count()} HTTP exchange(s).\n");
        yaml.Append(CultureInfo.InvariantCulture, $"id: {id}\nprotocol: {module.Id}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"title: {Quote($"Replays the session recorded from {upstream}")}\n");
        yaml.Append("description: >\n").Append(rules.Scripted
            ? "  The mock is scripted: it sends exactly what the server sent, after the recorded waits, and answers REST calls as\n" +
              "  the server did. The client is expected to connect, call and send as it did then; its heartbeats are judged by the\n" +
              "  protocol's monitors against the interval the replayed server advertised.\n"
            : $"  The mock plays the server ({module.Id} announces addresses of its own, which a verbatim replay would get wrong),\n" +
              "  answering REST calls as the recorded server did. The client is expected to connect, call and send as it did then;\n" +
              "  the protocol's monitors judge the rest.\n");
        yaml.Append(CultureInfo.InvariantCulture, $"rules: [{string.Join(", ", used)}]\n");
        yaml.Append(CultureInfo.InvariantCulture, $"timeout: {Durations.Format(TimeSpan.FromSeconds(Math.Ceiling(Max(TimeSpan.FromSeconds(30), stoppedAt * 2 + FirstConnect).TotalSeconds)))}\n");
        if (rules.Scripted)
        {
            yaml.Append("scripted: true\n");
        }
        if (stubs.Count > 0)
        {
            yaml.Append("stubs:\n");
            foreach (var stub in stubs)
            {
                yaml.Append(stub);
            }
        }

        yaml.Append("steps:\n");
        foreach (var step in steps)
        {
            yaml.Append(step).Append('\n');
        }

        return yaml.ToString();
    }

    private static void AddWait(List<string> steps, TimeSpan wait)
    {
        if (wait >= TimeSpan.FromMilliseconds(5))
        {
            steps.Add($"  - wait: {Durations.Format(Whole(Min(wait, LongestWait)))}");
        }
    }

    /// <summary>A duration to the millisecond, as scenarios write it.</summary>
    private static TimeSpan Whole(TimeSpan duration) => TimeSpan.FromMilliseconds(Math.Round(duration.TotalMilliseconds));

    private static string Stub(HttpExchange http)
    {
        var headers = http.ResponseHeaders.Where(h => !ServerHeaders.Contains(h.Key)).OrderBy(h => h.Key, StringComparer.Ordinal).ToList();
        var stub = new StringBuilder();
        stub.Append(CultureInfo.InvariantCulture, $"  - request: {{ method: {http.Method}, urlPath: {Quote(http.Path)} }}\n");
        stub.Append(CultureInfo.InvariantCulture, $"    response:\n      status: {http.Status}\n");
        if (headers.Count > 0)
        {
            stub.Append(CultureInfo.InvariantCulture, $"      headers: {{ {string.Join(", ", headers.Select(h => $"{Quote(h.Key)}: {Quote(h.Value)}"))} }}\n");
        }

        if (http.ResponseBody is { } body)
        {
            stub.Append(CultureInfo.InvariantCulture, $"      body: {Quote(body)}\n");
        }

        return stub.ToString();
    }

    /// <summary>A query string's parameters, in order; a parameter given twice keeps its first value.</summary>
    private static List<KeyValuePair<string, string>> Query(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(at < 0 ? part : part[..at]);
            if (pairs.All(p => p.Key != key))
            {
                pairs.Add(new(key, at < 0 ? "" : Uri.UnescapeDataString(part[(at + 1)..].Replace('+', ' '))));
            }
        }

        return pairs;
    }

    /// <summary>
    /// <paramref name="json"/> with every integer that reads as a Unix time near now (seconds or milliseconds, 2001 to
    /// 2096), and every value under a key of <paramref name="volatileKeys"/>, replaced by a match of its type: a client's
    /// clock readings and bound ports differ on every run.
    /// </summary>
    private static JsonNode Loosen(JsonNode json, IReadOnlySet<string> volatileKeys) => json switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(
            p.Key, p.Value is null ? null : volatileKeys.Contains(p.Key) ? TypeOf(p.Value) : (JsonNode?)Loosen(p.Value, volatileKeys)))),
        JsonArray a => new JsonArray([.. a.Select(v => v is null ? null : Loosen(v, volatileKeys))]),
        JsonValue v when v.TryGetValue(out long n) && (n is >= 1_000_000_000 and < 4_000_000_000 || n is >= 1_000_000_000_000 and < 4_000_000_000_000) =>
            new JsonObject { ["$is"] = "integer" },
        _ => json.DeepClone(),
    };

    /// <summary>A match of <paramref name="value"/>'s JSON type, e.g. <c>{ $is: integer }</c>.</summary>
    private static JsonObject TypeOf(JsonNode value) => new()
    {
        ["$is"] = value.GetValueKind() switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number when value is JsonValue v && v.TryGetValue(out long _) => "integer",
            JsonValueKind.Number => "number",
            _ => "null",
        },
    };

    /// <summary>JSON as a YAML flow node: keys and strings double-quoted, numbers as written.</summary>
    private static string Flow(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => o.Count == 0 ? "{}" : "{ " + string.Join(", ", o.Select(p => $"{Quote(p.Key)}: {Flow(p.Value)}")) + " }",
        JsonArray a => a.Count == 0 ? "[]" : "[ " + string.Join(", ", a.Select(Flow)) + " ]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    /// <summary>A YAML double-quoted scalar (JSON's escapes, which YAML shares).</summary>
    private static string Quote(string text) => JsonSerializer.Serialize(text, JsonText.Options);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>
/// The rules the steps of a recorded scenario are judged on: the connections (<see cref="Connect"/>), the REST calls
/// (<see cref="Http"/>) and each client frame (<see cref="ClientFrame"/>, by what the frame is).
/// </summary>
public sealed record RecordingRules(string Connect, string Http, Func<FrameRecorded, string> ClientFrame)
{
    /// <summary>
    /// Whether the replay is scripted (the recorded server frames sent verbatim). A protocol whose server announces an
    /// address of its own in its frames (a UDP socket) cannot be replayed verbatim: its replay lets the mock play the
    /// server and asserts the client's side only. Default: true.
    /// </summary>
    public bool Scripted { get; init; } = true;

    /// <summary>JSON keys of client frames whose values change on every run (a bound port), expected by type only. Default: none.</summary>
    public IReadOnlySet<string> VolatileKeys { get; init; } = new HashSet<string>();

    /// <summary>
    /// Where a frame announces a UDP socket (the server's or the client's, by the frame's direction), so the recording
    /// proxy can put its own in its place and relay the datagrams; null (the default) when the protocol has no UDP.
    /// </summary>
    public UdpAnnouncements? Udp { get; init; }
}

/// <summary>How a protocol's frames announce UDP sockets: read one from a frame, and write another in its place.</summary>
/// <param name="Find">The address a frame's text announces, or null.</param>
/// <param name="Replace">The frame's text with another address in place of the one it announces.</param>
public sealed record UdpAnnouncements(Func<string, (string Ip, int Port)?> Find, Func<string, string, int, string> Replace);
