using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// The reserved <c>/_conformance/</c> HTTP API that lets scripts drive a standalone mock:
/// <c>GET transcript[?from=N]</c> (entries from index N on, so a script can read only what is new), <c>GET connections</c>
/// (every channel: WebSocket connections and UDP peers, with their transport), <c>POST send</c> (see
/// <see cref="SendAsync"/>), <c>POST drop</c> (drop every open channel), <c>POST reset</c> (drop every channel and put the
/// protocol's state back as it was at start; answers the transcript index where the new state begins).
/// A malformed request is answered 400 and is never a fault of the mock.
/// </summary>
internal sealed partial class ControlApi(ProtocolMock mock)
{
    public async Task HandleAsync(HttpContext context)
    {
        var route = $"{context.Request.Method} {context.Request.Path.Value!["/_conformance/".Length..]}";
        switch (route)
        {
            case "GET transcript":
                var from = int.TryParse(context.Request.Query["from"], out var index) ? Math.Max(0, index) : 0;
                await ReplyAsync(context, 200, TranscriptJson.Write(mock.Transcript.Snapshot().Skip(from))).ConfigureAwait(false);
                break;
            case "GET connections":
                var list = new JsonArray(mock.Channels.Select(Describe).ToArray());
                await ReplyAsync(context, 200, JsonText.Write(list)).ConfigureAwait(false);
                break;
            case "POST send":
                await SendAsync(context).ConfigureAwait(false);
                break;
            case "POST drop":
                var dropped = mock.Channels.Count(c => c.IsOpen);
                foreach (var channel in mock.Channels)
                {
                    channel.Drop();
                }

                await ReplyAsync(context, 200, $$"""{"dropped":{{dropped}}}""").ConfigureAwait(false);
                break;
            case "POST reset":
                foreach (var channel in mock.Channels)
                {
                    channel.Drop();
                }

                mock.ResetState();
                await ReplyAsync(context, 200, $$"""{"from":{{mock.Transcript.Count}}}""").ConfigureAwait(false);
                break;
            default:
                await ErrorAsync(context, 404, $"unknown control route '{route}'").ConfigureAwait(false);
                break;
        }
    }

    private static JsonNode Describe(IChannel channel)
    {
        var json = new JsonObject
        {
            ["id"] = channel.Id,
            ["endpoint"] = channel.Endpoint,
            ["transport"] = channel.Transport == ChannelTransport.Udp ? "udp" : "websocket",
        };
        switch (channel)
        {
            case MockConnection connection:
                json["path"] = connection.Path;
                break;
            case UdpPeer peer:
                json["remote"] = peer.Remote.ToString();
                break;
            default:
                break;
        }

        json["open"] = channel.IsOpen;
        return json;
    }

    /// <summary>A field that must be a string when present.</summary>
    private static (string? Value, bool Bad) StringField(JsonObject? body, string name) =>
        body?[name] switch
        {
            null => (null, false),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => (v.GetValue<string>(), false),
            _ => (null, true),
        };

    private static Task ErrorAsync(HttpContext context, int status, string message) =>
        ReplyAsync(context, status, JsonText.Write(new JsonObject { ["error"] = message }));

    private static async Task ReplyAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json).ConfigureAwait(false);
    }
}
