using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Conformance.Mocks.Protocols.Nightingale;

/// <summary>Which server the mock speaks as: the current one, or the one seed 002 was written against.</summary>
public enum NightingaleDialect
{
    /// <summary>
    /// Every server since 2024-03 (AlvaroMS25/nightingale src/api): <c>/ws?user_id=</c>, resume at
    /// <c>/ws/resume/&lt;uuid&gt;</c>, <c>guild_id</c> / <c>channel_id</c> / <c>session_id</c> fields, durations in ms.
    /// </summary>
    Current,

    /// <summary>
    /// The server of seed 002 (AlvaroMS25/nightingale at 674652a, 2024-01): <c>shards</c> required beside
    /// <c>user_id</c>, resume at <c>/ws/resume?session=&lt;uuid&gt;</c>, <c>guild</c> / <c>channel</c> / <c>session</c>
    /// fields, an event's guild as <c>guild</c>, Track <c>duration</c> as <c>{secs, nanos}</c>. The socket only: the
    /// REST routes stay the current ones.
    /// </summary>
    Seed,
}

/// <summary>
/// Everything a scenario may vary about the Nightingale mock. Defaults follow the current server
/// (AlvaroMS25/nightingale src/api, HEAD 701a6b3) and, for what the client is given, nightingale-client's config.
/// </summary>
public sealed class NightingaleOptions
{
    /// <summary>The password every request must carry as Authorization; CONFORMANCE_TOKEN.</summary>
    [Description("The password every request (upgrade and REST) must carry as its raw Authorization header; the client gets it " +
        "as CONFORMANCE_TOKEN; a wrong or missing one gets 401 with a Basic challenge (AlvaroMS25/nightingale src/api/layers/auth.rs; " +
        "default from AlvaroMS25/nightingale-client src/config.rs).")]
    public string Password { get; set; } = "mypassword";

    /// <summary>The bot's user id the client is given as CONFORMANCE_USER_ID.</summary>
    [Description("The bot user id the client is given as CONFORMANCE_USER_ID, for the /ws user_id query (IMPLEMENTATION.md §Opening a connection).")]
    public string UserId { get; set; } = "1095998329104949370";

    /// <summary>The shard count the client is given as CONFORMANCE_SHARDS.</summary>
    [Description("The shard count the client is given as CONFORMANCE_SHARDS, for the /ws shards query (IMPLEMENTATION.md §Opening a connection; " +
        "current servers ignore it).")]
    [Range(1, 1024)]
    public int Shards { get; set; } = 1;

    /// <summary>Voice channels the bot joins, given as CONFORMANCE_VOICE.</summary>
    [Description("Voice channels the bot joins once ready, given as CONFORMANCE_VOICE (\"guild_id:channel_id\" pairs, comma-separated): " +
        "the client PATCHes /api/v1/<session>/players/<guild>/update and waits for update_state connect_gateway (src/api/routes/player.rs).")]
    public string VoiceChannels { get; set; } = "";

    /// <summary>A link the client plays in each guild it joins, given as CONFORMANCE_PLAY.</summary>
    [Description("A link the client plays once in each guild it has joined, given as CONFORMANCE_PLAY (POST …/play with a link source); " +
        "empty: the client plays nothing.")]
    public string PlayLink { get; set; } = "";

    /// <summary>How long a session waits for a resume after its socket ends. Default: 60 s (src/api/session.rs).</summary>
    [Description("How long a session and its players wait for a resume after the socket ends, then are destroyed (src/api/session.rs: 60 s).")]
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many resumes after a socket ended without a close frame find the session still taken (409), as if the server
    /// had not yet noticed the dead socket. Default: none.
    /// </summary>
    [Description("How many resume attempts after a socket ended without a close frame still find the session attached and get 409 " +
        "{\"message\": \"session taken\"}, as when the server has not yet noticed the dead socket (src/api/websocket.rs resume). " +
        "A count rather than a time, so a run does not depend on how fast the client comes back.")]
    [Range(0, 1000)]
    public int TakenResumes { get; set; }

    /// <summary>How long a played track lasts before track_end. Default: 3 min.</summary>
    [Description("How long a played track lasts before its track_end {stopped: false} and the next track of the queue starts.")]
    public TimeSpan TrackLength { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Seed of the fake track metadata (Bogus), so runs are reproducible.</summary>
    [Description("Seed of the fake metadata (Bogus) of the tracks the mock plays, so every run plays the same tracks.")]
    public int Seed { get; set; } = 2;

    /// <summary>Which server the mock speaks as. Default: the current one.</summary>
    [Description("Which server the mock speaks as: current (every server since 2024-03) or seed (AlvaroMS25/nightingale 674652a, " +
        "the server of seed 002: shards required, resume at /ws/resume?session=, guild/channel/session fields, durations as {secs, nanos}).")]
    [AllowedValues("current", "seed")]
    public string Dialect { get; set; } = "current";

    /// <summary>The dialect option read; an unknown name throws.</summary>
    public NightingaleDialect SpokenDialect => Dialect.ToLowerInvariant() switch
    {
        "current" => NightingaleDialect.Current,
        "seed" => NightingaleDialect.Seed,
        _ => throw new ArgumentException($"dialect '{Dialect}' is not one of: current, seed"),
    };
}
