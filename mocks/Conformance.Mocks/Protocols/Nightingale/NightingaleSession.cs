using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.Nightingale;

/// <summary>
/// One session of the server (src/api/session.rs): created by an upgrade to <c>/ws</c>, attached to one socket at a time,
/// kept for the resume window once the socket ends, with the players of its guilds. Guarded by the mock's lock.
/// </summary>
internal sealed class NightingaleSession(string id, string userId, MockConnection opener)
{
    private readonly Dictionary<string, NightingalePlayer> _players = new(StringComparer.Ordinal);

    public string Id { get; } = id;

    public string UserId { get; } = userId;

    /// <summary>The socket that opened the session: events are addressed through it (see NightingaleMock.EmitAsync).</summary>
    public MockConnection Opener { get; } = opener;

    /// <summary>The socket that has the session, or last had it.</summary>
    public MockConnection? Connection { get; set; }

    /// <summary>A resume was admitted for the session and its socket has not opened yet.</summary>
    public bool Claimed { get; set; }

    /// <summary>When the last socket ended; null while attached.</summary>
    public TimeSpan? DetachedAt { get; set; }

    /// <summary>How many more resumes find the session still taken by a socket that ended without a close frame (409).</summary>
    public int TakenFor { get; set; }

    public bool Destroyed { get; set; }

    public IEnumerable<NightingalePlayer> Players => _players.Values.OrderBy(p => p.Order);

    public NightingalePlayer? Player(string guild) => _players.GetValueOrDefault(guild);

    public NightingalePlayer GetOrCreate(string guild)
    {
        if (!_players.TryGetValue(guild, out var player))
        {
            player = new NightingalePlayer(guild, _players.Count);
            _players[guild] = player;
        }

        return player;
    }

    public bool Remove(string guild) => _players.Remove(guild);
}

/// <summary>
/// The player of one guild (src/playback/player.rs, src/api/model/player.rs): its voice connection, pause and volume, the
/// track playing and the queue. <see cref="Generation"/> changes whenever the playing track does, so a timer set for a
/// track that has since been skipped or paused does nothing.
/// </summary>
internal sealed class NightingalePlayer(string guild, int order)
{
    public string Guild { get; } = guild;

    public int Order { get; } = order;

    public string? Channel { get; set; }

    /// <summary>The voice session id the client gave (connection info); null while not connected.</summary>
    public string? VoiceSession { get; set; }

    public bool Paused { get; set; }

    public int Volume { get; set; } = 100;

    public NightingaleTrack? Current { get; set; }

    public List<NightingaleTrack> Queue { get; } = [];

    /// <summary>How much of the current track is left to play, and when it started playing the last time.</summary>
    public TimeSpan Left { get; set; }

    public TimeSpan PlayingSince { get; set; }

    public int Generation { get; set; }

    /// <summary>The Player object (src/api/model/player.rs): volume as a percentage.</summary>
    public JsonObject Json(NightingaleDialect dialect) => new()
    {
        ["guild_id"] = JsonText.IdNumber(Guild),
        ["channel_id"] = JsonText.IdNumber(Channel),
        ["paused"] = Paused,
        // src/playback/player.rs as_json: (volume * 100.0) as u8, which saturates at 255.
        ["volume"] = Math.Min(Volume, 255),
        ["currently_playing"] = Current is null ? null : NightingaleCodec.Track(dialect, Current),
        ["queue"] = new JsonArray([.. Queue.Select(t => (JsonNode)NightingaleCodec.Track(dialect, t))]),
    };
}
