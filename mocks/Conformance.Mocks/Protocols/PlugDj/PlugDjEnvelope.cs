using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>plug.dj's REST envelope, <c>{data, meta, status, time}</c>, for answers and errors (specs/plugdj/README.md §REST).</summary>
internal static class PlugDjEnvelope
{
    public static HttpReply Ok(params JsonNode?[] data) => Reply(200, "ok", data);

    public static HttpReply Error(int httpStatus, string status, string message) => Reply(httpStatus, status, [JsonValue.Create(message)]);

    private static HttpReply Reply(int httpStatus, string status, JsonNode?[] data) => new(
        httpStatus,
        JsonText.Write(new JsonObject
        {
            ["data"] = new JsonArray(data),
            ["meta"] = new JsonObject(),
            ["status"] = status,

            // The real server reports its processing time; a constant keeps transcripts the same run to run.
            ["time"] = 1.5,
        }));
}
