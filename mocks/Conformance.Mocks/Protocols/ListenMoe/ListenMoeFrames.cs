using System.Text.Json.Nodes;

namespace Conformance.Mocks.Protocols.ListenMoe;

/// <summary>The frames of LISTEN.moe gateway v2 (seed 000): op 0 welcome, op 1 playback, op 10 heartbeat ack.</summary>
internal static class ListenMoeFrames
{
    public const string TrackUpdate = "TRACK_UPDATE";
    public const string TrackUpdateRequest = "TRACK_UPDATE_REQUEST";

    /// <summary>op 0 with <c>d.heartbeat</c> in milliseconds (seed §Heartbeating).</summary>
    public static JsonObject Welcome(ListenMoeOptions options) => new()
    {
        ["op"] = 0,
        ["d"] = new JsonObject
        {
            ["message"] = options.WelcomeMessage,
            ["heartbeat"] = (long)options.HeartbeatInterval.TotalMilliseconds,
        },
    };

    /// <summary>op 1: the current song, the last two, listeners, startTime, requester and event (seed §Receiving data).</summary>
    public static JsonObject Track(SongCatalog songs, string type) => new()
    {
        ["op"] = 1,
        ["d"] = new JsonObject
        {
            ["song"] = songs.Current.DeepClone(),
            ["requester"] = null,
            ["event"] = null,
            ["startTime"] = songs.StartTime,
            ["lastPlayed"] = new JsonArray(songs.LastPlayed.Select(s => (JsonNode)s.DeepClone()).ToArray()),
            ["listeners"] = songs.Listeners,
        },
        ["t"] = type,
    };

    /// <summary>op 10, the acknowledgement of op 9 (seed §Heartbeating).</summary>
    public static JsonObject HeartbeatAck() => new() { ["op"] = 10 };
}
