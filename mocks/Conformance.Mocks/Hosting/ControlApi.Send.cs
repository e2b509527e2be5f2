using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Json;
using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

internal sealed partial class ControlApi
{
    private const string SendShape =
        "body must be a JSON object with exactly one of a string 'text', 'template', 'hex' or 'base64', " +
        "at most one of a string 'endpoint' or an integer 'channel', and an optional integer 'count' from 1 to 100000";

    /// <summary>The most copies one request may ask for: enough for a load test, bounded so a typo cannot queue millions.</summary>
    private const int MaxCount = 100_000;

    /// <summary>
    /// <c>POST send</c>: one payload, a <c>"text"</c>, a <c>"template"</c> (with an optional <c>"with"</c> merge patch), or
    /// binary as <c>"hex"</c> (<c>0x</c> optional) or <c>"base64"</c>, to one channel by id (<c>"channel": 3</c>, a WebSocket
    /// connection or a UDP peer), to the open peers of a UDP endpoint (<c>"endpoint": "audio"</c>), or else to every open
    /// WebSocket connection (of <c>"endpoint"</c>, when given) whose opening is done. Over UDP a payload is one datagram.
    /// With <c>"count": n</c> the same frame goes n times to each target, one after another per target, the targets at
    /// once. The payload is rendered and encoded once, whatever the number of targets and copies. Answers
    /// <c>{"sent": n}</c>, the frames delivered over all targets (with no count, the targets reached).
    /// </summary>
    private async Task SendAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = JsonText.TryParse(await reader.ReadToEndAsync().ConfigureAwait(false)) as JsonObject;
        var text = StringField(body, "text");
        var template = StringField(body, "template");
        var hex = StringField(body, "hex");
        var base64 = StringField(body, "base64");
        var endpoint = StringField(body, "endpoint");
        var channelId = IntField(body, "channel");
        var count = IntField(body, "count");
        var payloads = new[] { text.Value, template.Value, hex.Value, base64.Value }.Count(v => v is not null);
        if (body is null || text.Bad || template.Bad || hex.Bad || base64.Bad || endpoint.Bad || channelId.Bad || payloads != 1 ||
            count.Bad || count.Value is < 1 or > MaxCount ||
            (channelId.Value is not null && endpoint.Value is not null))
        {
            await ErrorAsync(context, 400, SendShape).ConfigureAwait(false);
            return;
        }

        if (template.Value is not null && !mock.TemplateNames.Contains(template.Value))
        {
            await ErrorAsync(context, 400, $"unknown template '{template.Value}' (known: {string.Join(", ", mock.TemplateNames)})").ConfigureAwait(false);
            return;
        }

        if (!TryDecode(hex.Value, base64.Value, out var binary, out var bad))
        {
            await ErrorAsync(context, 400, bad).ConfigureAwait(false);
            return;
        }

        IChannel[] targets;
        if (channelId.Value is { } id)
        {
            if (mock.Host.FindChannel(id) is not { } channel)
            {
                var known = string.Join(", ", mock.Channels.Select(c => c.Id));
                await ErrorAsync(context, 404, $"no channel {id} (channels: {(known.Length == 0 ? "none yet" : known)})").ConfigureAwait(false);
                return;
            }

            if (channel is MockConnection connection)
            {
                // Like a scripted step, a send to one connection never overtakes the protocol's own opening.
                await connection.Opened.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }

            targets = [channel];
        }
        else
        {
            targets = [.. Recipients(endpoint.Value)];
        }

        var frame = template.Value is null
            ? text.Value
            : JsonText.Write(mock.Render(template.Value, channelId.Value is null ? null : targets[0] as MockConnection, body["with"]));
        var size = binary?.Length ?? Encoding.UTF8.GetByteCount(frame!);
        if (size > MockUdpSocket.MaxDatagramBytes && targets.Any(t => t.Transport == ChannelTransport.Udp))
        {
            await ErrorAsync(context, 400, $"a UDP datagram carries at most {MockUdpSocket.MaxDatagramBytes} bytes; this payload has {size}").ConfigureAwait(false);
            return;
        }

        var sent = await Fanout.SendAsync(targets, frame, binary ?? Encoding.UTF8.GetBytes(frame!), count.Value ?? 1, origin: null).ConfigureAwait(false);
        await ReplyAsync(context, 200, $$"""{"sent":{{sent}}}""").ConfigureAwait(false);
    }

    /// <summary>The open peers of a UDP endpoint so named; otherwise the ready WebSocket connections (of that endpoint).</summary>
    private IEnumerable<IChannel> Recipients(string? endpoint) =>
        mock.Host.UdpSockets.FirstOrDefault(s => string.Equals(s.Name, endpoint, StringComparison.Ordinal)) is { } udp
            ? udp.Peers.Where(p => p.IsOpen)
            : mock.ReadyConnections(endpoint);

    private static bool TryDecode(string? hex, string? base64, out byte[]? binary, out string error)
    {
        binary = null;
        error = "";
        try
        {
            if (hex is not null)
            {
                var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
                binary = Convert.FromHexString(digits);
            }
            else if (base64 is not null)
            {
                binary = Convert.FromBase64String(base64);
            }

            return true;
        }
        catch (FormatException)
        {
            error = hex is not null ? $"'hex' is not an even number of hexadecimal digits: '{hex}'" : $"'base64' is not base64: '{base64}'";
            return false;
        }
    }

    /// <summary>A field that must be a whole number when present.</summary>
    private static (int? Value, bool Bad) IntField(JsonObject? body, string name) =>
        body?[name] switch
        {
            null => (null, false),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int n) => (n, false),
            _ => (null, true),
        };
}
