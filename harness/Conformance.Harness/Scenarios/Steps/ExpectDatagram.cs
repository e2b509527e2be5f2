using Conformance.Harness.Running;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Transcripts;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Waits for UDP datagrams: from the client (default) or the mock, <see cref="Count"/> of them, each of a size in
/// [<see cref="MinSize"/>, <see cref="MaxSize"/>], starting with <see cref="Prefix"/>, passing the protocol's named check
/// <see cref="Check"/>, inside a timing window.
/// </summary>
public sealed record ExpectDatagramStep(SourceMark Mark, bool FromServer, int Count, TimeSpan Within) : Step(Mark)
{
    public int? MinSize { get; init; }

    public int? MaxSize { get; init; }

    public byte[]? Prefix { get; init; }

    /// <summary>The exact payload as UTF-8 text (may use <c>${name}</c>).</summary>
    public string? Text { get; init; }

    /// <summary>The name of one of the protocol's <c>DatagramMatchers</c>.</summary>
    public string? Check { get; init; }

    public TimeSpan? After { get; init; }

    /// <summary>A name for the peer, for <c>on:</c> in later steps.</summary>
    public string? As { get; init; }

    public IReadOnlyDictionary<string, string> Captures { get; init; } = new Dictionary<string, string>();

    public override string Describe() =>
        $"expect {(Count > 1 ? $"{Count} datagrams" : "a datagram")} from the {(FromServer ? "mock" : "client")}" +
        (MinSize == MaxSize && MinSize is { } size ? $" of {size} bytes" : MinSize is not null || MaxSize is not null ? $" of {MinSize ?? 0}..{MaxSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""} bytes" : "") +
        (Prefix is null ? "" : $" starting 0x{Convert.ToHexString(Prefix)}") + (Text is null ? "" : $" reading \"{Text}\"") + (Check is null ? "" : $" that is {Check}") +
        (After is { } a ? $" after {Durations.Format(a)}" : "") + $" within {Durations.Format(Within)}" + (On is null ? "" : $" on {On}");
}

internal sealed class ExpectDatagramKind : StepKind<ExpectDatagramStep>
{
    public override string Name => "expect_datagram";

    public override string Summary => "Wait for UDP datagrams (count, size, a byte prefix, a check the protocol provides).";

    public override bool IsExpectation => true;

    public override bool TakesChannel => true;

    public override string Schema => """
        {
          "description": "Wait for UDP datagrams, from the client (default) or the mock, on any UDP endpoint or the peer or endpoint 'on' names.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "from": {
              "description": "Whose datagrams: client (default) or server (the mock's own, e.g. a relay's forwarding).",
              "enum": ["client", "server"]
            },
            "count": {
              "description": "How many matching datagrams to wait for (1 to 100000). Default: 1.",
              "type": "integer",
              "minimum": 1,
              "maximum": 100000
            },
            "size": {
              "description": "The payload size in bytes: exact (12) or a range ('24..1500', '..200', '40..').",
              "type": ["integer", "string"],
              "minimum": 0,
              "pattern": "^[0-9]*\\.\\.[0-9]*$"
            },
            "prefix": {
              "description": "The bytes the payload starts with, as hex, e.g. '0x80' or '8078'.",
              "type": "string",
              "pattern": "^(0x)?([0-9A-Fa-f]{2})+$"
            },
            "text": {
              "description": "The exact payload as UTF-8 text. May use ${name}.",
              "$ref": "#/definitions/text"
            },
            "match": {
              "description": "A check the protocol provides (conformance list shows them), e.g. 'sealed'.",
              "$ref": "#/definitions/nonEmptyString"
            },
            "within": {
              "description": "How long to wait. Default: 5s.",
              "$ref": "#/definitions/duration"
            },
            "after": {
              "description": "Lower bound: a matching datagram earlier than this into the step fails the step. Default: none.",
              "$ref": "#/definitions/duration"
            },
            "as": {
              "description": "A name for the peer that sent (or received) the first matching datagram, for 'on:' in later steps.",
              "$ref": "#/definitions/nonEmptyString"
            },
            "capture": {
              "description": "Variables from the (last) matching datagram: name -> JSON path into { channel, size, hex, base64, text, json, decoded }.",
              "$ref": "#/definitions/capture"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map("from", "count", "size", "prefix", "text", "match", "within", "after", "as", "capture") is not { } map)
        {
            return null;
        }

        var load = syntax.Loader;
        var from = load.OptionalString(map, "from");
        if (from is not null and not "client" and not "server")
        {
            syntax.Error(syntax.Value(map, "from")!, $"'from' is client or server, found '{from}'");
            return null;
        }

        var count = syntax.Value(map, "count") is { } c ? load.Integer(c, "count", 1, 100_000) : 1;
        var (ok, min, max) = syntax.Value(map, "size") is { } s ? Size(syntax, s) : (true, null, null);
        var prefix = syntax.Value(map, "prefix") is { } p ? DatagramSyntax.Hex(syntax, p) : null;
        var check = load.OptionalString(map, "match");
        if (check is not null && syntax.Module is { } module && module.DatagramMatchers.All(m => m.Name != check))
        {
            syntax.Error(syntax.Value(map, "match")!, module.DatagramMatchers.Count == 0
                ? $"{module.Id} provides no datagram checks"
                : $"unknown datagram check '{check}' for {module.Id} (known: {string.Join(", ", module.DatagramMatchers.Select(m => m.Name))})");
            return null;
        }

        if (count is null || !ok || (prefix is null && syntax.Value(map, "prefix") is not null))
        {
            return null;
        }

        return new ExpectDatagramStep(syntax.Mark, from == "server", count.Value, syntax.Within(map))
        {
            MinSize = min,
            MaxSize = max,
            Prefix = prefix,
            Text = syntax.Value(map, "text") is { } t ? load.String(t, "text") : null,
            Check = check,
            After = load.OptionalDuration(map, "after"),
            As = load.ReadAs(map),
            Captures = load.ReadCaptures(map, "$.hex"),
        };
    }

    private static (bool Ok, int? Min, int? Max) Size(StepSyntax syntax, YamlNode node)
    {
        var text = (node as YamlScalarNode)?.Value ?? "";
        var parts = text.Split("..");
        int? Bound(string part) => part.Length == 0 ? null : int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : -1;
        var (min, max) = parts.Length switch
        {
            1 => (Bound(parts[0]), Bound(parts[0])),
            2 => (Bound(parts[0]), Bound(parts[1])),
            _ => (-1, -1),
        };
        if (min == -1 || max == -1 || (min is null && max is null) || min > max)
        {
            syntax.Error(node, $"'size' is a byte count (12) or a range such as 24..1500, ..200 or 40.., found '{text}'");
            return (false, null, null);
        }

        return (true, min, max);
    }

    protected override async Task<string?> RunAsync(ExpectDatagramStep step, RunContext context)
    {
        IChannel? only = null;
        string? endpoint = null;
        if (step.On is { } on)
        {
            // 'on' names a peer (number or as:-name), or a UDP endpoint whose peers all count.
            if (on.Name is { } name && !context.Names.ContainsKey(name) && context.Mock.Host.UdpSockets.Any(s => s.Name == name))
            {
                endpoint = name;
            }
            else
            {
                var (channel, missing) = context.TargetChannel(on, ChannelTransport.Udp);
                if (channel is null)
                {
                    return context.CannotAct("expect a datagram", missing!);
                }

                only = channel;
            }
        }

        var direction = step.FromServer ? Direction.ServerToClient : Direction.ClientToServer;
        var text = step.Text is null ? null : System.Text.Encoding.UTF8.GetBytes(Variables.Substitute(step.Text, context.Captures));
        var matcher = step.Check is null ? null : context.Module.DatagramMatchers.First(m => m.Name == step.Check);
        bool Matches(DatagramRecorded d) =>
            d.Direction == direction && (only is null || d.Channel == only.Id) &&
            (endpoint is null || context.Mock.Host.FindChannel(d.Channel)?.Endpoint == endpoint) &&
            (step.MinSize is null || d.Payload.Length >= step.MinSize) && (step.MaxSize is null || d.Payload.Length <= step.MaxSize) &&
            (step.Prefix is null || d.Payload.AsSpan().StartsWith(step.Prefix)) &&
            (text is null || d.Payload.AsSpan().SequenceEqual(text)) &&
            (matcher is null || matcher.Matches(d, context.Mock));

        using var window = context.Window(step.Within);
        for (var matched = 0; matched < step.Count; matched++)
        {
            var datagram = await context.Transcript.WaitForAsync<DatagramRecorded>(context.DatagramCursor, Matches, window.Token).ConfigureAwait(false);
            if (datagram is null)
            {
                // The datagrams so far, either way, may be where a broken rule made these go missing (a relay drops a
                // packet sent too early, or from the wrong port, and relays one datagram fewer).
                context.FailureCauses.AddRange(context.Transcript.Snapshot().OfType<DatagramRecorded>());
                var seen = context.Transcript.Snapshot().OfType<DatagramRecorded>()
                    .Where(d => d.Index >= context.DatagramCursor && d.Direction == direction)
                    .Select(d => $"{d.Payload.Length} bytes {Short(d)}").Distinct().Take(5).ToList();
                return $"{step.Describe()}: got {matched}; the {(step.FromServer ? "mock" : "client")} sent " +
                       (seen.Count == 0 ? "no other datagrams" : string.Join(", ", seen)) + context.Because();
            }

            if (matched == 0 && context.TooEarly(datagram, step.After, $"a datagram of {datagram.Payload.Length} bytes") is { } early)
            {
                return early;
            }

            if (matched == 0 && step.As is not null)
            {
                context.Names[step.As] = datagram.Channel;
            }

            context.DatagramCursor = datagram.Index + 1;
            context.Capture(step.Captures, DatagramSyntax.View(datagram, context.Module.DescribeDatagram(datagram)));
        }

        return null;
    }

    private static string Short(DatagramRecorded d) => d.Payload.Length <= 8 ? d.Display : "0x" + Convert.ToHexString(d.Payload, 0, 8) + "...";
}
