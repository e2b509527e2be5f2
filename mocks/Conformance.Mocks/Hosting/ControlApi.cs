using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// The reserved <c>/_conformance/</c> HTTP API that lets scripts drive a standalone mock:
/// <c>GET transcript[?from=N]</c> (entries from index N on, so a script can read only what is new), <c>GET connections</c>,
/// <c>POST send</c> (body <c>{"endpoint"?, "text"?, "template"?, "with"?}</c>: push one frame to every open connection of an
/// endpoint), <c>POST drop</c> (drop every open connection), <c>POST reset</c> (drop every connection and put the
/// protocol's state back as it was at start; answers the transcript index where the new state begins).
/// A malformed request is answered 400 and is never a fault of the mock.
/// </summary>
internal sealed class ControlApi(ProtocolMock mock)
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
                var list = new JsonArray(mock.Connections.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id,
                    ["endpoint"] = c.Endpoint,
                    ["path"] = c.Path,
                    ["open"] = c.IsOpen,
                }).ToArray());
                await ReplyAsync(context, 200, JsonText.Write(list)).ConfigureAwait(false);
                break;
            case "POST send":
                await SendAsync(context).ConfigureAwait(false);
                break;
            case "POST drop":
                var dropped = mock.Connections.Count(c => c.IsOpen);
                foreach (var connection in mock.Connections)
                {
                    connection.Drop();
                }

                await ReplyAsync(context, 200, $$"""{"dropped":{{dropped}}}""").ConfigureAwait(false);
                break;
            case "POST reset":
                foreach (var connection in mock.Connections)
                {
                    connection.Drop();
                }

                mock.ResetState();
                await ReplyAsync(context, 200, $$"""{"from":{{mock.Transcript.Count}}}""").ConfigureAwait(false);
                break;
            default:
                await ErrorAsync(context, 404, $"unknown control route '{route}'").ConfigureAwait(false);
                break;
        }
    }

    private async Task SendAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = JsonText.TryParse(await reader.ReadToEndAsync().ConfigureAwait(false)) as JsonObject;
        var text = StringField(body, "text");
        var template = StringField(body, "template");
        var endpoint = StringField(body, "endpoint");
        if (body is null || text.Bad || template.Bad || endpoint.Bad || (text.Value is null) == (template.Value is null))
        {
            await ErrorAsync(context, 400, "body must be a JSON object with a string 'text' or a string 'template' (not both), and an optional string 'endpoint'")
                .ConfigureAwait(false);
            return;
        }

        if (template.Value is not null && !mock.TemplateNames.Contains(template.Value))
        {
            await ErrorAsync(context, 400, $"unknown template '{template.Value}' (known: {string.Join(", ", mock.TemplateNames)})").ConfigureAwait(false);
            return;
        }

        var sent = template.Value is not null
            ? await mock.BroadcastTemplateAsync(template.Value, body["with"], endpoint.Value).ConfigureAwait(false)
            : await mock.BroadcastAsync(text.Value!, endpoint.Value).ConfigureAwait(false);
        await ReplyAsync(context, 200, $$"""{"sent":{{sent}}}""").ConfigureAwait(false);
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
