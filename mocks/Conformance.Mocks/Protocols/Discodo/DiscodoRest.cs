using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.Discodo;

/// <summary>
/// The node's REST essentials on the same host and port (kijk2869/discodo discodo/server/restful.py, server.py): the
/// open status route, and voice-client routes checked as the node checks them: <c>Authorization</c>, then the manager by
/// <c>User-ID</c> (and <c>Shard-ID</c>), the voice client by <c>Guild-ID</c>, whose id must equal <c>VoiceClient-ID</c>.
/// Errors are Sanic's JSON error bodies.
/// </summary>
internal sealed class DiscodoRest(DiscodoMock mock)
{
    public IReadOnlyList<HttpRoute> Routes() =>
    [
        new("GET", "/status", _ => Task.FromResult(Json(DiscodoMock.StatusFigures()))) { Name = "status" },
        // restful.py getContext answers JSONResponse(VoiceClient.Context): the context itself, {} for a new voice client
        // (discodo/voice_client.py), not wrapped in {"context": ...}.
        new("GET", "/context", request => WithVoiceClient(request, (_, _) => new JsonObject())) { Name = "context" },
        new("GET", "/queue", request => WithVoiceClient(request, (_, _) => new JsonObject { ["entries"] = new JsonArray() })) { Name = "queue" },
        new("GET", "/options", request => WithVoiceClient(request, (_, _) => new JsonObject
        {
            ["autoplay"] = true, ["volume"] = 1.0, ["crossfade"] = 10.0, ["filter"] = new JsonObject(),
        })) { Name = "options" },
        new("POST", "/pause", request => WithVoiceClient(request, (_, _) => null)) { Name = "pause" },
        new("POST", "/resume", request => WithVoiceClient(request, (_, _) => null)) { Name = "resume" },
    ];

    private static HttpReply Json(JsonNode body) => new(200, JsonText.Write(body));

    /// <summary>Sanic's JSON error format (FALLBACK_ERROR_FORMAT "json", discodo/server/server.py).</summary>
    private static HttpReply Error(int status, string description, string message) =>
        new(status, JsonText.Write(new JsonObject { ["description"] = description, ["status"] = status, ["message"] = message }));

    /// <summary>
    /// discodo/server/restful.py authorized and need_manager / need_voiceclient: 403 "Password mismatch.", 404
    /// "ClientManager not found." / "VoiceClient not found.", 403 "VoiceClient ID mismtach." (sic); a route that
    /// answers nothing answers 204 (Sanic response.empty()).
    /// </summary>
    private Task<HttpReply> WithVoiceClient(HttpRequestContext request, Func<DiscodoManager, DiscodoVoiceClient, JsonNode?> answer)
    {
        string? Header(string name) => request.Http.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
        if (Header("Authorization") != mock.Options.Password)
        {
            return Task.FromResult(Error(403, "Forbidden", "Password mismatch."));
        }

        var userId = Header("User-ID");
        var shardId = Header("Shard-ID");
        var manager = userId is null ? null : mock.FindManager(shardId is null ? userId : $"{userId}-{shardId}");
        if (manager is null)
        {
            return Task.FromResult(Error(404, "Not Found", "ClientManager not found."));
        }

        DiscodoVoiceClient? voiceClient;
        lock (mock.Gate)
        {
            voiceClient = manager.Find(Header("Guild-ID") ?? "");
        }

        if (voiceClient is null)
        {
            return Task.FromResult(Error(404, "Not Found", "VoiceClient not found."));
        }

        if (Header("VoiceClient-ID") != voiceClient.Id)
        {
            return Task.FromResult(Error(403, "Forbidden", "VoiceClient ID mismtach."));
        }

        return Task.FromResult(answer(manager, voiceClient) is { } body ? Json(body) : new HttpReply(204));
    }
}
