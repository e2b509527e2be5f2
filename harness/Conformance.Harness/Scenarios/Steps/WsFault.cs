using System.Text;
using Conformance.Harness.Running;
using Conformance.Mocks.Wire;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>The mock commits one wire fault on a connection: bytes that break RFC 6455, a TCP reset, or a hung peer.</summary>
public sealed record WsFaultStep(SourceMark Mark, WireFault Fault) : Step(Mark)
{
    public override string Describe() => $"wire fault {Fault.Name}: {Fault.Detail}" + (On is null ? "" : $" on {On}");
}

internal sealed class WsFaultKind : StepKind<WsFaultStep>
{
    private const int LargestOversize = 64 << 20;

    private static readonly string[] Faults = ["invalid_utf8", "reserved_bits", "opcode", "oversize", "close_code", "ping_flood", "stall", "reset", "half_open"];

    public override string Name => "ws_fault";

    public override string Summary => "The mock breaks the WebSocket protocol once on a connection (invalid UTF-8, reserved bits, unknown opcode, oversize, bad close, ping flood, stall, reset, half-open).";

    public override bool TakesChannel => true;

    public override string Schema => """
        {
          "description": "The mock commits one wire fault on the connection: exactly one of the fault keys. 'text' is the message a fault carries (default {}). The fault and its parameters are recorded in the transcript and the snapshot.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "invalid_utf8": { "description": "true: a text frame holding 'text' with the byte 0xFF in its middle (RFC 6455 §8.1: the client must fail the connection, 1007).", "enum": [true] },
            "reserved_bits": { "description": "A text frame of 'text' with these RSV bits set: 4 RSV1, 2 RSV2, 1 RSV3, or a sum (RFC 6455 §5.2).", "type": "integer", "minimum": 1, "maximum": 7 },
            "opcode": { "description": "A frame of 'text' with this reserved opcode: 3 to 7 (data) or 11 to 15 (control) (RFC 6455 §5.2).", "type": "integer", "minimum": 3, "maximum": 15, "not": { "enum": [8, 9, 10] } },
            "oversize": { "description": "One text frame of this many bytes: 'text' (default {\"padding\":\"\"}) with its first empty string \"\" filled with x; a number, or with KiB or MiB, e.g. 8MiB; at most 64MiB.", "type": ["integer", "string"], "pattern": "^\\d+\\s*(KiB|MiB)?$" },
            "close_code": { "description": "A close frame with this code (0 to 65535, valid or not: 1005, 1006 and 1015 must never be sent), or 'none' for a close frame with no code. The TCP connection stays open for the client's answer.", "oneOf": [ { "type": "integer", "minimum": 0, "maximum": 65535 }, { "enum": ["none"] } ] },
            "ping_flood": { "description": "This many pings at once (1 to 10000), payloads 1 to N.", "type": "integer", "minimum": 1, "maximum": 10000 },
            "stall": { "description": "A text frame of 'text' that stops after 'after_bytes' of its bytes for this long, then comes whole.", "$ref": "#/definitions/duration" },
            "after_bytes": { "description": "With stall: how many of the frame's bytes go before the stall. Default: 2 (the header).", "type": "integer", "minimum": 1 },
            "reset": { "description": "true: the TCP connection is reset (RST), no close frame.", "enum": [true] },
            "half_open": { "description": "true: the mock stops reading and writing on the connection but keeps it open.", "enum": [true] },
            "text": { "description": "The message a fault carries (invalid_utf8, reserved_bits, opcode, stall, oversize). May use ${name}. Default: {}.", "$ref": "#/definitions/text" }
          },
          "oneOf": [
            { "required": ["invalid_utf8"] }, { "required": ["reserved_bits"] }, { "required": ["opcode"] }, { "required": ["oversize"] },
            { "required": ["close_code"] }, { "required": ["ping_flood"] }, { "required": ["stall"] }, { "required": ["reset"] }, { "required": ["half_open"] }
          ]
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map([.. Faults, "text", "after_bytes"]) is not { } map)
        {
            return null;
        }

        var given = Faults.Where(k => syntax.Value(map, k) is not null).ToList();
        if (given.Count != 1)
        {
            syntax.Error(map, given.Count == 0
                ? $"'ws_fault' needs one of {string.Join(", ", Faults)}"
                : $"'ws_fault' commits one fault at a time, found {string.Join(" and ", given)}");
            return null;
        }

        var load = syntax.Loader;
        var key = given[0];
        var node = syntax.Value(map, key)!;
        var text = load.OptionalString(map, "text") ?? "{}";
        var payload = Encoding.UTF8.GetBytes(text);
        if (syntax.Value(map, "text") is { } textNode && key is "close_code" or "ping_flood" or "reset" or "half_open")
        {
            syntax.Error(textNode, $"'text' is the message a fault carries; '{key}' carries none");
            return null;
        }

        if (syntax.Value(map, "after_bytes") is { } afterNode && key != "stall")
        {
            syntax.Error(afterNode, "'after_bytes' goes with 'stall'");
            return null;
        }

        WireFault? fault = key switch
        {
            "invalid_utf8" => True(syntax, node, key) ? InvalidUtf8Fault.Around(text) : null,
            "reserved_bits" => load.Integer(node, key, 1, 7) is { } bits ? new ReservedBitsFault(bits, WireFrames.Text, payload) : null,
            "opcode" => Opcode(syntax, node) is { } opcode ? new UnknownOpcodeFault(opcode, opcode >= 8 ? payload[..Math.Min(payload.Length, 125)] : payload) : null,
            "oversize" => Size(syntax, node) is { } size ? new OversizeFault(size, load.OptionalString(map, "text") ?? OversizeFault.DefaultText) : null,
            "close_code" => node is YamlScalarNode { Value: "none" } ? new CloseCodeFault(null)
                : load.Integer(node, key, 0, 65535) is { } code ? new CloseCodeFault(code) : null,
            "ping_flood" => load.Integer(node, key, 1, 10000) is { } count ? new PingFloodFault(count) : null,
            "stall" => load.Duration(node, key) is { } pause && (syntax.Value(map, "after_bytes") is not { } a ? 2 : load.Integer(a, "after_bytes", 1, int.MaxValue)) is { } after
                ? new StallFault(payload, after, pause) : null,
            "reset" => True(syntax, node, key) ? new ResetFault() : null,
            _ => True(syntax, node, key) ? new HalfOpenFault() : null,
        };
        return fault is null ? null : new WsFaultStep(syntax.Mark, fault);
    }

    protected override async Task<string?> RunAsync(WsFaultStep step, RunContext context)
    {
        var (connection, missing) = context.Target(step.On);
        if (connection is not { IsOpen: true })
        {
            return context.CannotAct($"commit {step.Fault.Name}", missing ?? $"connection {connection!.Id} has ended");
        }

        var fault = step.Fault switch
        {
            InvalidUtf8Fault or ReservedBitsFault or UnknownOpcodeFault or StallFault => Substituted(step.Fault, context),
            var other => other,
        };
        return await connection.InjectAsync(fault, $"step {context.StepNumber}").ConfigureAwait(false)
            ? null
            : context.CannotAct($"commit {step.Fault.Name}", $"connection {connection.Id} ended before the fault was written");
    }

    /// <summary>A fault's message with <c>${name}</c> captures filled in.</summary>
    private static WireFault Substituted(WireFault fault, RunContext context)
    {
        byte[] Fill(byte[] payload) => Encoding.UTF8.GetBytes(Variables.Substitute(Encoding.UTF8.GetString(payload), context.Captures));
        return fault switch
        {
            ReservedBitsFault f => f with { Payload = Fill(f.Payload) },
            UnknownOpcodeFault { Opcode: < 8 } f => f with { Payload = Fill(f.Payload) },
            StallFault f => f with { Payload = Fill(f.Payload) },
            _ => fault,
        };
    }

    private static bool True(StepSyntax syntax, YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: "true" })
        {
            return true;
        }

        syntax.Error(node, $"'{key}' takes true, found {node.Kind()}");
        return false;
    }

    private static byte? Opcode(StepSyntax syntax, YamlNode node)
    {
        var opcode = syntax.Loader.Integer(node, "opcode", 3, 15);
        if (opcode is 8 or 9 or 10)
        {
            syntax.Error(node, $"opcode {opcode} is a close, ping or pong frame; a reserved opcode is 3 to 7 or 11 to 15");
            return null;
        }

        return (byte?)opcode;
    }

    private static int? Size(StepSyntax syntax, YamlNode node)
    {
        var text = (node as YamlScalarNode)?.Value?.Trim() ?? "";
        var (digits, unit) = text.EndsWith("MiB", StringComparison.Ordinal) ? (text[..^3], 1 << 20)
            : text.EndsWith("KiB", StringComparison.Ordinal) ? (text[..^3], 1 << 10)
            : (text, 1);
        if (long.TryParse(digits.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) &&
            count * unit is > 0 and <= LargestOversize)
        {
            return (int)(count * unit);
        }

        syntax.Error(node, $"'oversize' is a size in bytes up to 64MiB, such as 8MiB, 512KiB or 100000, found '{text}'");
        return null;
    }
}
