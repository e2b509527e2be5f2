using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Protocols.Discodo;

/// <summary>
/// The node's default behaviour for one WebSocket connection: seed 003 (kijk2869/discodo docs/node/connection.rst) for
/// what it documents, the node's code (discodo/server/websocket.py, payloads.py) for the rest.
/// </summary>
internal sealed class DiscodoConnectionHandler : ConnectionHandler
{
    private static readonly HashSet<string> GuildOps = new(StringComparer.Ordinal)
    {
        DiscodoCodec.Ops.GetState, DiscodoCodec.Ops.GetQueue, DiscodoCodec.Ops.VcDestroy, DiscodoCodec.Ops.RequestSubtitle,
    };

    private readonly DiscodoMock _mock;
    private readonly DiscodoOptions _options;
    private readonly bool _authorized;
    private readonly TaskCompletionSource _greeted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DiscodoManager? _manager;
    private TimeSpan _lastHeard;

    public DiscodoConnectionHandler(DiscodoMock mock, DiscodoOptions options, MockConnection connection)
    {
        _mock = mock;
        _options = options;
        // connection.rst §Websocket Headers: Authorization is the node's password, compared as is (websocket.py).
        var opened = mock.Transcript.Snapshot().OfType<ConnectionOpened>().LastOrDefault(c => c.Connection == connection.Id);
        _authorized = opened is not null && opened.Headers.TryGetValue("Authorization", out var password) &&
            string.Equals(password, options.Password, StringComparison.Ordinal);
        _lastHeard = mock.Transcript.Now;
    }

    public override async Task OnOpenedAsync(MockConnection connection)
    {
        try
        {
            if (!_authorized)
            {
                // connection.rst §Connecting: "otherwise receive FORBIDDEN"; the node then stops reading but leaves the
                // socket open (websocket.py); a scenario may have the mock close it.
                await connection.SendTextAsync(DiscodoCodec.Format(DiscodoCodec.Ops.Forbidden, _options.ForbiddenMessage)).ConfigureAwait(false);
                if (_options.ForbiddenCloseCode is { } code)
                {
                    await connection.CloseAsync(code, _options.ForbiddenMessage).ConfigureAwait(false);
                }

                return;
            }

            // connection.rst §Connecting: "the client should immediately receive HELLO with the connection's heartbeat interval".
            if (_options.SendHello)
            {
                await connection.SendTextAsync(JsonText.Write(DiscodoCodec.Hello(_options.HeartbeatInterval, _options.Version))).ConfigureAwait(false);
            }

            _ = WatchSilenceAsync(connection);
        }
        finally
        {
            // Frames that came before HELLO went out (official clients IDENTIFY on open) are answered after it, as the
            // node only starts reading once HELLO is sent.
            _greeted.TrySetResult();
        }
    }

    public override async Task OnFrameAsync(MockConnection connection, FrameRecorded frame)
    {
        await _greeted.Task.ConfigureAwait(false);
        _lastHeard = _mock.Transcript.Now;
        // A refused connection is no longer read (websocket.py returns after FORBIDDEN); invalid JSON and frames without
        // a string op are ignored (websocket.py: json.loads failure and unknown ops are skipped).
        if (!_authorized || DiscodoCodec.Parse(frame.Kind == FrameKind.Text ? frame.Text : null) is not { } message)
        {
            return;
        }

        switch (message.Op)
        {
            case DiscodoCodec.Ops.Heartbeat when _options.AckHeartbeats:
                // connection.rst §Heartbeating: "Event Data (d) can be None, the server will echo them."
                await connection.ReplyTextAsync(DiscodoCodec.HeartbeatAck(message)).ConfigureAwait(false);
                break;
            case DiscodoCodec.Ops.Identify:
                await IdentifyAsync(connection, message).ConfigureAwait(false);
                break;
            case DiscodoCodec.Ops.GetStatus:
                await SendAsync(connection, DiscodoMock.Status()).ConfigureAwait(false);
                break;
            case DiscodoCodec.Ops.DiscordEvent:
                await DiscordEventAsync(connection, message).ConfigureAwait(false);
                break;
            case var op when GuildOps.Contains(op):
                await GuildOpAsync(connection, message).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    public override Task OnClosedAsync(MockConnection connection)
    {
        _mock.Leave(connection);
        return Task.CompletedTask;
    }

    private static Task<bool> SendAsync(MockConnection connection, JsonNode payload) => connection.SendTextAsync(JsonText.Write(payload));

    /// <summary>
    /// connection.rst §Identifying and §Resumed: IDENTIFIED, then RESUMED when the same user_id and shard_id come back within
    /// VC_TIMEOUT; a second IDENTIFY on one connection is an error (discodo/server/websocket.py, payloads.py).
    /// </summary>
    private async Task IdentifyAsync(MockConnection connection, DiscodoMessage message)
    {
        if (_manager is not null)
        {
            await SendAsync(connection, DiscodoCodec.Error(message.Op, "ALREADY_IDENTIFIED", "Already identified.")).ConfigureAwait(false);
            return;
        }

        if (message.Field("user_id") is not { } userId)
        {
            if (message.Data is JsonObject)
            {
                await SendAsync(connection, DiscodoCodec.Error(message.Op, "KeyError", "'user_id'")).ConfigureAwait(false);
            }

            return;
        }

        var shardId = message.Field("shard_id");
        var tag = shardId is null ? userId : $"{userId}-{shardId}";
        var (manager, resumed) = _mock.Bind(connection, tag, userId);
        _manager = manager;
        await SendAsync(connection, DiscodoMock.Identified()).ConfigureAwait(false);
        if (resumed is not null)
        {
            await SendAsync(connection, _mock.Resumed(resumed)).ConfigureAwait(false);
            if (_options.DestroyAfterResume)
            {
                foreach (var voiceClient in resumed)
                {
                    lock (_mock.Gate)
                    {
                        manager.Destroy(voiceClient.GuildId);
                    }

                    await SendAsync(connection, DiscodoCodec.GuildEvent(DiscodoCodec.Ops.VcDestroyed, voiceClient.GuildId)).ConfigureAwait(false);
                }
            }
        }

        await _mock.AttachSessionAsync(connection, manager.Session).ConfigureAwait(false);
    }

    /// <summary>
    /// Discord voice events the client forwards (kijk2869/discodo discodo/client/node.py; discodo/manager.py): the bot's
    /// VOICE_STATE_UPDATE sets its channel, VOICE_SERVER_UPDATE creates the guild's voice client (VC_CREATED, events.rst).
    /// </summary>
    private async Task DiscordEventAsync(MockConnection connection, DiscodoMessage message)
    {
        if (_manager is not { } manager)
        {
            await NotIdentifiedAsync(connection, message).ConfigureAwait(false);
            return;
        }

        if (message.Data is not JsonObject dispatch || dispatch["d"] is not JsonObject data)
        {
            return;
        }

        var type = dispatch["t"] is JsonValue t && t.TryGetValue(out string? name) ? name : null;
        var guildId = JsonText.IdText(data["guild_id"]);
        if (guildId is null)
        {
            return;
        }

        DiscodoVoiceClient? created = null;
        lock (_mock.Gate)
        {
            if (type == "VOICE_STATE_UPDATE" && JsonText.IdText(data["user_id"]) == manager.UserId)
            {
                manager.SetChannel(guildId, JsonText.IdText(data["channel_id"]));
            }
            else if (type == "VOICE_SERVER_UPDATE")
            {
                created = manager.Create(guildId, _mock.NextVoiceClientId());
            }
        }

        if (created is not null)
        {
            await SendAsync(connection, DiscodoCodec.GuildEvent(DiscodoCodec.Ops.VcCreated, guildId, new JsonObject { ["id"] = created.Id })).ConfigureAwait(false);
        }
    }

    /// <summary>Guild operations: the node's error payloads when unidentified or the guild has no voice client (websocket.py, payloads.py).</summary>
    private async Task GuildOpAsync(MockConnection connection, DiscodoMessage message)
    {
        // An error reply needs d to be an object: "guild_id" in d raises on null or a number, and nothing is sent.
        if (message.Data is not JsonObject)
        {
            return;
        }

        if (_manager is not { } manager)
        {
            await NotIdentifiedAsync(connection, message).ConfigureAwait(false);
            return;
        }

        var guildId = message.Field("guild_id") ?? "";
        DiscodoVoiceClient? voiceClient;
        lock (_mock.Gate)
        {
            voiceClient = manager.Find(guildId);
            if (voiceClient is not null && message.Op == DiscodoCodec.Ops.VcDestroy)
            {
                manager.Destroy(guildId);
            }
        }

        if (voiceClient is null)
        {
            await SendAsync(connection, DiscodoCodec.Error(message.Op, "VoiceClientNotFound", "", guildId)).ConfigureAwait(false);
            return;
        }

        JsonNode reply = message.Op switch
        {
            DiscodoCodec.Ops.VcDestroy => DiscodoCodec.GuildEvent(DiscodoCodec.Ops.VcDestroyed, guildId),
            DiscodoCodec.Ops.GetQueue => DiscodoCodec.GuildEvent(message.Op, guildId, new JsonObject { ["entries"] = new JsonArray() }),
            DiscodoCodec.Ops.RequestSubtitle => DiscodoCodec.GuildEvent(message.Op, guildId, new JsonObject { ["NoSubtitle"] = true }),
            _ => DiscodoCodec.GuildEvent(message.Op, guildId, State(voiceClient)),
        };
        await SendAsync(connection, reply).ConfigureAwait(false);
    }

    /// <summary>getState of an idle voice client (discodo/server/websocket.py getState; state 1 is stopped, discodo/enums.py).</summary>
    private static JsonObject State(DiscodoVoiceClient voiceClient) => new()
    {
        ["id"] = voiceClient.Id,
        ["channel_id"] = JsonText.IdNumber(voiceClient.ChannelId),
        ["state"] = 1,
        ["current"] = null,
        ["duration"] = null,
        ["position"] = null,
        ["remain"] = null,
        ["remainQueue"] = 0,
        ["options"] = new JsonObject { ["autoplay"] = true, ["volume"] = 1.0, ["crossfade"] = 10.0, ["filter"] = new JsonObject() },
        ["context"] = new JsonObject(),
    };

    private static Task<bool> NotIdentifiedAsync(MockConnection connection, DiscodoMessage message) =>
        SendAsync(connection, DiscodoCodec.Error(message.Op, "NOT_IDENTIFIED", "Identify first."));

    /// <summary>The node's read loop ends when no frame arrives within its timeout (websocket.py); the mock cuts the connection then.</summary>
    private async Task WatchSilenceAsync(MockConnection connection)
    {
        try
        {
            while (connection.IsOpen)
            {
                var due = _lastHeard + _options.SilenceLimit - _mock.Transcript.Now;
                if (due <= TimeSpan.Zero)
                {
                    connection.Drop();
                    return;
                }

                await Task.Delay(due, _mock.Transcript.Time, connection.Closed).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended first.
        }
        catch (Exception ex)
        {
            _mock.Host.ReportFault(ex);
        }
    }
}
