using Conformance.Mocks.Hosting;

namespace Conformance.Mocks.Protocols.Discodo;

/// <summary>A voice client of a manager: the node's id for it, its guild and the voice channel it is in (null when unknown).</summary>
public sealed record DiscodoVoiceClient(string Id, string GuildId, string? ChannelId);

/// <summary>
/// The node's client manager of one bot user and shard (tag <c>user_id[-shard_id]</c>): its voice clients, the
/// connection bound to it, and when it was left (kijk2869/discodo discodo/server/websocket.py, waitForBind).
/// A new manager for the same tag (the old one timed out) is a new <see cref="Generation"/>, so a new session.
/// </summary>
internal sealed class DiscodoManager(string tag, int generation, string userId)
{
    private readonly List<DiscodoVoiceClient> _voiceClients = [];
    private readonly Dictionary<string, string?> _channels = new(StringComparer.Ordinal);

    public string Tag { get; } = tag;

    public int Generation { get; } = generation;

    public string UserId { get; } = userId;

    /// <summary>The engine's session of this manager: held sends wait here while no connection has it.</summary>
    public string Session => $"{Tag}#{Generation}";

    public MockConnection? Bound { get; set; }

    public TimeSpan LeftAt { get; set; }

    public IReadOnlyList<DiscodoVoiceClient> VoiceClients => _voiceClients;

    public DiscodoVoiceClient? Find(string guildId) => _voiceClients.Find(v => string.Equals(v.GuildId, guildId, StringComparison.Ordinal));

    /// <summary>Remembers the bot's voice channel in a guild, from Discord's VOICE_STATE_UPDATE.</summary>
    public void SetChannel(string guildId, string? channelId)
    {
        _channels[guildId] = channelId;
        var index = _voiceClients.FindIndex(v => string.Equals(v.GuildId, guildId, StringComparison.Ordinal));
        if (index >= 0)
        {
            _voiceClients[index] = _voiceClients[index] with { ChannelId = channelId };
        }
    }

    /// <summary>A voice client for the guild, from Discord's VOICE_SERVER_UPDATE; null when there already is one.</summary>
    public DiscodoVoiceClient? Create(string guildId, string id)
    {
        if (Find(guildId) is not null)
        {
            return null;
        }

        var voiceClient = new DiscodoVoiceClient(id, guildId, _channels.GetValueOrDefault(guildId));
        _voiceClients.Add(voiceClient);
        return voiceClient;
    }

    public bool Destroy(string guildId) => _voiceClients.RemoveAll(v => string.Equals(v.GuildId, guildId, StringComparison.Ordinal)) > 0;

    public void DestroyAll() => _voiceClients.Clear();
}
