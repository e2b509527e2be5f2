using System.Text.Json.Nodes;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// The reserved <c>/_conformance/</c> HTTP API that lets scripts drive a standalone mock:
/// <c>GET transcript</c>, <c>GET connections</c>, <c>POST send</c> (body <c>{"endpoint"?, "text"?, "template"?, "with"?}</c>:
/// push a frame to every open connection of an endpoint), <c>POST drop</c> (drop every open connection).
/// </summary>
internal sealed class ControlApi(ProtocolMock mock)
{
    public async Task HandleAsync(HttpContext context)
    {
        var route = $"{context.Request.Method} {context.Request.Path.Value!["/_conformance/".Length..]}";
        switch (route)
        {
            case "GET transcript":
                await ReplyAsync(context, 200, TranscriptJson.Write(mock.Transcript.Snapshot())).ConfigureAwait(false);
                break;
            case "GET connections":
                var list = new JsonArray(mock.Connections.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id, ["endpoint"] = c.Endpoint, ["path"] = c.Path, ["open"] = c.IsOpen,
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
            default:
                await ReplyAsync(context, 404, $$"""{"error":"unknown control route '{{route}}'"}""").ConfigureAwait(false);
                break;
        }
    }

    private async Task SendAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = JsonText.TryParse(await reader.ReadToEndAsync().ConfigureAwait(false)) as JsonObject;
        if (body is null || (body["text"] is null && body["template"] is null))
        {
            await ReplyAsync(context, 400, """{"error":"body must be a JSON object with 'text' or 'template'"}""").ConfigureAwait(false);
            return;
        }

        var endpoint = body["endpoint"]?.GetValue<string>();
        var targets = mock.Connections.Where(c => c.IsOpen && (endpoint is null || c.Endpoint == endpoint)).ToList();
        var sent = 0;
        foreach (var connection in targets)
        {
            var template = body["template"]?.GetValue<string>();
            if (template is not null && !mock.TemplateNames.Contains(template))
            {
                await ReplyAsync(context, 400, JsonText.Write(new JsonObject { ["error"] = $"unknown template '{template}'" }))
                    .ConfigureAwait(false);
                return;
            }

            var ok = template is not null
                ? await mock.SendTemplateAsync(connection, template, body["with"]).ConfigureAwait(false)
                : await connection.SendTextAsync(body["text"]!.GetValue<string>()).ConfigureAwait(false);
            sent += ok ? 1 : 0;
        }

        await ReplyAsync(context, 200, $$"""{"sent":{{sent}}}""").ConfigureAwait(false);
    }

    private static async Task ReplyAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json).ConfigureAwait(false);
    }
}
