using System.Text;
using Conformance.Harness.Running;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Json;

namespace Conformance.Harness.Scenarios;

/// <summary>The mock sends one datagram to a UDP peer: bytes as hex or base64, text, or a template.</summary>
public sealed record SendDatagramStep(SourceMark Mark, byte[]? Bytes, string? Text, string? Template) : Step(Mark)
{
    public override string Describe() =>
        "send datagram " + (Template is not null ? $"template {Template}" : Text is not null ? $"text \"{Text}\"" : $"{Bytes!.Length} bytes 0x{Convert.ToHexString(Bytes)}") +
        (On is null ? "" : $" on {On}");
}

internal sealed class SendDatagramKind : StepKind<SendDatagramStep>
{
    private static readonly string[] Forms = ["hex", "base64", "text", "template"];

    public override string Name => "send_datagram";

    public override string Summary => "The mock sends one UDP datagram to a peer.";

    public override bool TakesChannel => true;

    public override string Schema => """
        {
          "description": "The mock sends one datagram to a UDP peer (the latest one, or the one 'on' names): exactly one of hex, base64, text or template.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "hex": {
              "description": "The bytes as hex, e.g. '0a0b0c' or '0x0a0b0c'.",
              "type": "string",
              "pattern": "^(0x)?([0-9A-Fa-f]{2})+$"
            },
            "base64": {
              "description": "The bytes as base64.",
              "type": "string",
              "pattern": "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
            },
            "text": {
              "description": "UTF-8 text as the payload. May use ${name}.",
              "$ref": "#/definitions/text"
            },
            "template": {
              "description": "A payload the protocol module builds.",
              "$ref": "#/definitions/nonEmptyString"
            }
          },
          "oneOf": [
            { "required": ["hex"] },
            { "required": ["base64"] },
            { "required": ["text"] },
            { "required": ["template"] }
          ]
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map(Forms) is not { } map)
        {
            return null;
        }

        var forms = Forms.Where(k => syntax.Value(map, k) is not null).ToList();
        if (forms.Count != 1)
        {
            syntax.Error(map, "'send_datagram' needs exactly one of hex, base64, text or template" + (forms.Count > 1 ? $", found {string.Join(" and ", forms)}" : ""));
            return null;
        }

        var load = syntax.Loader;
        var node = syntax.Value(map, forms[0])!;
        return forms[0] switch
        {
            "hex" => DatagramSyntax.Hex(syntax, node) is { } bytes ? new SendDatagramStep(syntax.Mark, bytes, null, null) : null,
            "base64" => load.Base64(node, "base64") is { } bytes ? new SendDatagramStep(syntax.Mark, bytes, null, null) : null,
            "text" => load.String(node, "text") is { } text ? new SendDatagramStep(syntax.Mark, null, text, null) : null,
            _ => load.Template(node, syntax.Module) is { } template ? new SendDatagramStep(syntax.Mark, null, null, template) : null,
        };
    }

    protected override async Task<string?> RunAsync(SendDatagramStep step, RunContext context)
    {
        var (channel, missing) = context.TargetChannel(step.On, ChannelTransport.Udp);
        if (channel is null)
        {
            return context.CannotAct("send a datagram", missing!);
        }

        var bytes = step.Bytes
            ?? (step.Text is not null ? Encoding.UTF8.GetBytes(Variables.Substitute(step.Text, context.Captures)) : null)
            ?? context.Mock.RenderPayload(step.Template!, channel);
        return await channel.SendBinaryAsync(bytes, $"step {context.StepNumber}").ConfigureAwait(false)
            ? null
            : context.CannotAct("send a datagram", $"UDP peer {channel.Id} has ended");
    }
}

/// <summary>Byte values in scenario files.</summary>
internal static class DatagramSyntax
{
    public static byte[]? Hex(StepSyntax syntax, YamlDotNet.RepresentationModel.YamlNode node)
    {
        var text = syntax.Loader.String(node, "hex");
        if (text is null)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text);
        }
        catch (FormatException)
        {
            syntax.Error(node, $"'{text}' is not hex bytes such as 0a0b0c or 0x0a0b0c");
            return null;
        }
    }

    /// <summary>The JSON view <c>capture:</c> paths select from.</summary>
    public static System.Text.Json.Nodes.JsonObject View(Mocks.Transcripts.DatagramRecorded datagram, string? decoded)
    {
        string? text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(datagram.Payload);
        }
        catch (DecoderFallbackException)
        {
            text = null;
        }

        return new()
        {
            ["channel"] = datagram.Channel,
            ["size"] = datagram.Payload.Length,
            ["hex"] = Convert.ToHexString(datagram.Payload).ToLowerInvariant(),
            ["base64"] = Convert.ToBase64String(datagram.Payload),
            ["text"] = text,
            ["json"] = JsonText.TryParse(text),
            ["decoded"] = decoded,
        };
    }
}
