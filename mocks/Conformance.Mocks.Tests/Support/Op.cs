using System.Text.Json.Nodes;

namespace Conformance.Mocks.Tests;

/// <summary>Reads the LISTEN.moe envelope (<c>op</c>, <c>t</c>) of a received frame.</summary>
internal static class Op
{
    public static int Of(JsonObject frame) => frame["op"]!.GetValue<int>();

    public static string? TypeOf(JsonObject frame) => frame["t"]?.GetValue<string>();
}
