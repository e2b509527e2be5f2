using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Protocols.Podcast;

/// <summary>
/// A discord-podcasts mock (seed 004 = discord-podcasts/documentation resources/websocket.md; audio.md, podcast.md,
/// reference.md): <c>/ws</c> hosts a new podcast, <c>/listen?id=</c> joins one, credentials on every request; Hello
/// announces a real UDP socket per podcast; Connected registers the client's UDP address and ClientJoin confirms it;
/// the host's datagrams are relayed to every listener, each checked as sealed audio; Disconnected and End as the
/// documents say. The other parties are simulated: a podcast with a simulated host that streams to a listener under
/// test exists from the start, and simulated listeners join a podcast a host under test creates.
/// </summary>
public sealed class PodcastMock : ProtocolMock
{
    /// <summary>The endpoints' names, as scenarios refer to them.</summary>
    public const string HostEndpointName = "ws";

    public const string ListenEndpointName = "listen";

    /// <summary>How the names of the podcasts' UDP endpoints start (<c>podcast-&lt;id&gt;</c>, one per podcast, opened at run time).</summary>
    public const string UdpEndpointPrefix = "podcast-";

    /// <summary>The close reason of a host cut at the deadline for sending no Connected.</summary>
    public const string DeadlineReason = "host deadline: no Connected";

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Podcast> _podcasts = [];
    private readonly Dictionary<int, (Podcast Podcast, PodcastParty Party)> _byConnection = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Random _random;
    private long _nextPodcast;
    private long _nextClient;
    private int _disposed;

    private PodcastMock(PodcastOptions options)
    {
        Options = options;
        _random = new Random(options.Seed);
        _nextPodcast = options.PodcastId;
    }

    public override string Protocol => "podcast";

    public PodcastOptions Options { get; }

    internal PodcastEnvelope Envelope => Options.Framing;

    public override IReadOnlyCollection<string> TemplateNames { get; } = [Templates.Hello, Templates.ClientJoin, Templates.Disconnected, Templates.End];

    public static async Task<PodcastMock> StartAsync(Action<PodcastOptions>? configure = null, MockHostOptions? host = null, Transcript? transcript = null)
    {
        var options = new PodcastOptions();
        configure?.Invoke(options);
        return await StartAsync(options, host, transcript).ConfigureAwait(false);
    }

    public static async Task<PodcastMock> StartAsync(PodcastOptions options, MockHostOptions? host = null, Transcript? transcript = null)
    {
        _ = options.Framing;
        var mock = new PodcastMock(options);
        await mock.StartHostAsync(
            host,
            [
                new WebSocketEndpoint(HostEndpointName, "/ws", connection => new PodcastConnectionHandler(mock, connection)) { Admit = mock.Authorize },
                new WebSocketEndpoint(ListenEndpointName, "/listen", connection => new PodcastConnectionHandler(mock, connection)) { Admit = mock.AdmitListener },
            ],
            transcript).ConfigureAwait(false);
        foreach (var route in new PodcastRest(mock).Routes())
        {
            mock.Host.Routes.Add(route);
        }

        // The podcast a listener under test joins: its host is simulated and streams once the listener is confirmed.
        mock.CreatePodcast(null);
        return mock;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        List<PodcastParty> simulated;
        lock (_gate)
        {
            simulated = [.. _podcasts.Values.SelectMany(p => p.Parties).Where(p => p.Socket is not null)];
        }

        foreach (var party in simulated)
        {
            party.Socket!.Dispose();
        }

        await base.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    public override JsonNode RenderTemplate(string name, MockConnection? connection)
    {
        (Podcast Podcast, PodcastParty Party)? at;
        lock (_gate)
        {
            at = connection is not null && _byConnection.TryGetValue(connection.Id, out var found) ? found : null;
        }

        var text = name switch
        {
            Templates.Hello => Hello(at?.Podcast ?? Podcasts[0]),
            Templates.ClientJoin => PodcastCodec.Format(Envelope, PodcastCodec.ClientJoin, new JsonObject { ["client_id"] = at?.Party.ClientId ?? 1 }),
            Templates.Disconnected => PodcastCodec.Format(Envelope, PodcastCodec.Disconnected, new JsonObject { ["client_id"] = at?.Party.ClientId ?? 1 }),
            Templates.End => PodcastCodec.Format(Envelope, PodcastCodec.End, []),
            _ => throw UnknownTemplate(name),
        };
        return JsonNode.Parse(text)!;
    }

    /// <summary>The podcasts that have not ended, in id order.</summary>
    internal IReadOnlyList<Podcast> Podcasts
    {
        get
        {
            lock (_gate)
            {
                return [.. _podcasts.Values.Where(p => !p.Ended).OrderBy(p => p.Id)];
            }
        }
    }

    /// <summary>The secret of the podcast whose UDP socket a channel is on, or null (no such channel, or no secret).</summary>
    public byte[]? SecretOf(int channel)
    {
        var endpoint = Host.FindChannel(channel)?.Endpoint;
        lock (_gate)
        {
            return _podcasts.Values.FirstOrDefault(p => Podcast.EndpointName(p.Id) == endpoint)?.Secret;
        }
    }

    internal Podcast? Find(long id)
    {
        lock (_gate)
        {
            return _podcasts.TryGetValue(id, out var podcast) && !podcast.Ended ? podcast : null;
        }
    }

    /// <summary>
    /// Credentials on every request (reference.md §Authorization), checked as the prototype checks them
    /// (discord-podcasts/backend-beta src/authentication.rs): 401 with its plain-text reasons.
    /// </summary>
    internal Refusal? Authorize(HttpContext context)
    {
        var headers = context.Request.Headers;
        string? reason = !headers.TryGetValue("client_id", out var id) || !headers.TryGetValue("client_secret", out var secret) ? "Missing authentication data"
            : !ulong.TryParse(id.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out _) ? "Your client id is not a number"
            : id.ToString() != Options.ClientId || secret.ToString() != Options.ClientSecret ? "Invalid client_secret formatting"
            : null;
        return reason is null ? null : new Refusal(401, reason) { Body = reason, ContentType = "text/plain; charset=utf-8" };
    }

    /// <summary>/listen: the credentials, then the podcast its <c>id</c> query names (400 when it is not a number, 404 when there is none).</summary>
    private Refusal? AdmitListener(HttpContext context)
    {
        if (Authorize(context) is { } refused)
        {
            return refused;
        }

        return !long.TryParse(context.Request.Query["id"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? Text(400, "Invalid podcast id")
            : Find(id) is null ? Text(404, "Podcast doesn't exist")
            : null;
    }

    private static Refusal Text(int status, string text) => new(status, text) { Body = text, ContentType = "text/plain; charset=utf-8" };

    /// <summary>A new podcast with its own UDP socket and secret, hosted by <paramref name="host"/> (null: a simulated host).</summary>
    internal Podcast CreatePodcast(MockConnection? host)
    {
        lock (_gate)
        {
            var id = _nextPodcast++;
            byte[]? secret = null;
            if (Options.SendSecret)
            {
                secret = new byte[32];
                _random.NextBytes(secret);
            }

            Podcast? podcast = null;
            var socket = Host.OpenUdp(new UdpEndpoint(Podcast.EndpointName(id), peer => new PodcastRelay(this, podcast!)));
            podcast = new Podcast(id, secret, socket, Transcript.Now);
            podcast.Host = new PodcastParty(++_nextClient, PodcastRole.Host, host);
            if (host is null)
            {
                podcast.Host.Joined = true;
                podcast.ActiveSince = Transcript.Now;
            }
            else
            {
                _byConnection[host.Id] = (podcast, podcast.Host);
            }

            _podcasts[id] = podcast;
            return podcast;
        }
    }

    /// <summary>A listener under test joins <paramref name="podcast"/>; null when it has ended meanwhile.</summary>
    internal PodcastParty? Join(Podcast podcast, MockConnection connection)
    {
        lock (_gate)
        {
            if (podcast.Ended)
            {
                return null;
            }

            var party = new PodcastParty(++_nextClient, PodcastRole.Listener, connection);
            podcast.Audience.Add(party);
            _byConnection[connection.Id] = (podcast, party);
            return party;
        }
    }

    /// <summary>Hello has gone out on <paramref name="connection"/>: its party hears the podcast's events from now on.</summary>
    internal void Greeted(MockConnection connection)
    {
        lock (_gate)
        {
            if (_byConnection.TryGetValue(connection.Id, out var found))
            {
                found.Party.Greeted = true;
            }
        }
    }

    internal (Podcast Podcast, PodcastParty Party)? Of(MockConnection connection)
    {
        lock (_gate)
        {
            return _byConnection.TryGetValue(connection.Id, out var found) ? found : null;
        }
    }

    /// <summary>Hello: the podcast's id, its UDP socket and its secret (resources/websocket.md §Hello).</summary>
    internal string Hello(Podcast podcast) =>
        PodcastCodec.Format(Envelope, PodcastCodec.Hello, PodcastCodec.HelloData(podcast.Id, podcast.Socket.LocalEndPoint.Address.ToString(), podcast.Socket.Port, podcast.Secret));

    /// <summary>
    /// Connected (resources/websocket.md §Connected): the party's UDP address is registered; ClientJoin for it goes to every
    /// party on a WebSocket, itself included (§Lifecycle: the sign both links work). Then the simulated parties act: a
    /// host under test gets its simulated listeners, a listener under test gets the simulated host's audio.
    /// </summary>
    internal async Task ConnectedAsync(Podcast podcast, PodcastParty party, string ip, int port)
    {
        lock (_gate)
        {
            if (party.Audio is not null || !IPAddress.TryParse(ip, out var address))
            {
                return;
            }

            party.Audio = new IPEndPoint(address, port);
        }

        if (Options.JoinDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Options.JoinDelay, Transcript.Time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        // The simulated audience is in place before the host may send, so every packet of its reaches all of them; their
        // ClientJoins follow the host's own.
        var audience = party.Role == PodcastRole.Host ? Enumerable.Range(0, Options.SimulatedListeners).Select(_ => AddSimulatedListener(podcast)).ToList() : [];
        lock (_gate)
        {
            party.Joined = true;
            if (party.Role == PodcastRole.Host)
            {
                podcast.ActiveSince = Transcript.Now;
            }
        }

        await AnnounceAsync(podcast, PodcastCodec.ClientJoin, new JsonObject { ["client_id"] = party.ClientId }).ConfigureAwait(false);
        foreach (var listener in audience)
        {
            await AnnounceAsync(podcast, PodcastCodec.ClientJoin, new JsonObject { ["client_id"] = listener.ClientId }).ConfigureAwait(false);
        }

        if (audience.Count > 0 && Options.SimulatedListenersLeaveAfter is { } stay)
        {
            _ = SimulatedListenersLeaveAsync(podcast, audience, stay);
        }

        if (party.Role == PodcastRole.Listener && podcast.Host is { Simulated: true })
        {
            _ = StreamAsync(podcast, party);
        }
    }

    private PodcastParty AddSimulatedListener(Podcast podcast)
    {
        var socket = new UdpClient(new IPEndPoint(podcast.Socket.LocalEndPoint.Address, 0));
        lock (_gate)
        {
            var party = new PodcastParty(++_nextClient, PodcastRole.Listener, null)
            {
                Socket = socket,
                Audio = (IPEndPoint)socket.Client.LocalEndPoint!,
                Joined = true,
            };
            podcast.Audience.Add(party);
            _ = DrainAsync(socket);
            return party;
        }
    }

    /// <summary>The simulated listeners leave, in the order they came: each is announced with Disconnected and no longer relayed to.</summary>
    private async Task SimulatedListenersLeaveAsync(Podcast podcast, List<PodcastParty> audience, TimeSpan after)
    {
        try
        {
            await Task.Delay(after, Transcript.Time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        foreach (var listener in audience)
        {
            lock (_gate)
            {
                if (podcast.Ended || !podcast.Audience.Remove(listener))
                {
                    continue;
                }
            }

            listener.Socket!.Dispose();
            await AnnounceAsync(podcast, PodcastCodec.Disconnected, new JsonObject { ["client_id"] = listener.ClientId }).ConfigureAwait(false);
        }
    }

    /// <summary>A simulated listener takes what is relayed to it (the relay's sends are what the transcript records).</summary>
    private async Task DrainAsync(UdpClient socket)
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                _ = await socket.ReceiveAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    /// <summary>
    /// The simulated host streams <see cref="PodcastOptions.HostPackets"/> packets of "opus frame k" to a confirmed
    /// listener, sealed nonce first (resources/audio.md) with nonces from the options' seed, then leaves if told to.
    /// </summary>
    private async Task StreamAsync(Podcast podcast, PodcastParty listener)
    {
        try
        {
            for (var k = 1; k <= Options.HostPackets; k++)
            {
                if (k > 1)
                {
                    await Task.Delay(Options.HostInterval, Transcript.Time, _stopping.Token).ConfigureAwait(false);
                }

                byte[] payload;
                lock (_gate)
                {
                    if (podcast.Ended || listener.Ended || listener.Connection is { IsOpen: false })
                    {
                        return;
                    }

                    var plain = Encoding.ASCII.GetBytes($"opus frame {k}");
                    var nonce = new byte[PodcastCodec.NonceBytes];
                    _random.NextBytes(nonce);
                    payload = podcast.Secret is null ? plain : PodcastAudio.Seal(plain, nonce, podcast.Secret);
                }

                if (podcast.Socket.PeerAt(listener.Audio!) is { } peer)
                {
                    await peer.SendBinaryAsync(payload).ConfigureAwait(false);
                }
            }

            if (Options.HostLeavesAfter is { } after)
            {
                await Task.Delay(after, Transcript.Time, _stopping.Token).ConfigureAwait(false);
                await EndAsync(podcast).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The mock stopped.
        }
    }

    /// <summary>
    /// A datagram on the podcast's socket (discord-podcasts/backend-beta src/audio_server.rs): only the confirmed host's
    /// audio is relayed, verbatim, to every listener with an address; each of the host's packets is checked as sealed audio.
    /// </summary>
    internal async Task RelayAsync(Podcast podcast, UdpPeer from, DatagramRecorded datagram)
    {
        List<IPEndPoint> listeners;
        lock (_gate)
        {
            var party = podcast.Parties.FirstOrDefault(p => !p.Simulated && from.Remote.Equals(p.Audio));
            if (podcast.Ended)
            {
                datagram.Decide(new DatagramDecision(DatagramDecisionKind.AfterEnd, "after the podcast ended: dropped"));
                return;
            }

            if (party is null)
            {
                datagram.Decide(new DatagramDecision(DatagramDecisionKind.UnknownSource, "from an address no Connected announced: dropped"));
                return;
            }

            if (party.Role == PodcastRole.Listener)
            {
                datagram.Decide(new DatagramDecision(DatagramDecisionKind.NotRelayed, "from a listener: only the host's audio is relayed"));
                return;
            }

            if (!party.Joined)
            {
                datagram.Decide(new DatagramDecision(DatagramDecisionKind.TooEarly, "before the host's ClientJoin: dropped"));
                return;
            }

            datagram.Decide(PodcastAudio.Inspect(datagram.Payload, podcast.Secret));
            listeners = [.. podcast.Audience.Where(l => l.Joined && !l.Ended && l.Audio is not null).Select(l => l.Audio!)];
            datagram.Decide(new DatagramDecision(DatagramDecisionKind.Relayed, $"relayed to {listeners.Count} listeners"));
        }

        foreach (var address in listeners)
        {
            if (podcast.Socket.PeerAt(address) is { } peer)
            {
                await peer.SendBinaryAsync(datagram.Payload).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A party's WebSocket ended: a listener leaving is announced to the others with Disconnected (resources/websocket.md
    /// §Client Disconnect); the host leaving ends the podcast (§End).
    /// </summary>
    internal async Task LeaveAsync(MockConnection connection)
    {
        Podcast podcast;
        PodcastParty party;
        lock (_gate)
        {
            if (!_byConnection.Remove(connection.Id, out var found))
            {
                return;
            }

            (podcast, party) = found;
            if (party.Role == PodcastRole.Listener)
            {
                podcast.Audience.Remove(party);
            }
        }

        if (party.Role == PodcastRole.Host)
        {
            await EndAsync(podcast).ConfigureAwait(false);
        }
        else if (!podcast.Ended)
        {
            await AnnounceAsync(podcast, PodcastCodec.Disconnected, new JsonObject { ["client_id"] = party.ClientId }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The podcast is over (resources/websocket.md §End): End to every listener, whose sockets the server closes after
    /// <see cref="PodcastOptions.EndGrace"/> if they have not closed them; the UDP socket closes.
    /// </summary>
    internal async Task EndAsync(Podcast podcast)
    {
        List<PodcastParty> audience;
        lock (_gate)
        {
            if (podcast.Ended)
            {
                return;
            }

            podcast.Ended = true;
            audience = [.. podcast.Audience.Where(l => !l.Simulated && l.Greeted)];
            foreach (var listener in audience)
            {
                listener.Ended = true;
            }
        }

        var end = PodcastCodec.Format(Envelope, PodcastCodec.End, []);
        foreach (var listener in audience)
        {
            await listener.Connection!.SendTextAsync(end).ConfigureAwait(false);
        }

        try
        {
            await Task.Delay(Options.EndGrace, Transcript.Time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        foreach (var listener in audience.Where(l => l.Connection!.IsOpen))
        {
            await listener.Connection!.CloseAsync(1000, "the podcast ended").ConfigureAwait(false);
        }

        await podcast.Socket.CloseAsync().ConfigureAwait(false);
        // A copy taken under the gate: a listener leaving at this moment removes itself from the audience.
        List<PodcastParty> simulated;
        lock (_gate)
        {
            simulated = [.. podcast.Audience.Where(l => l.Socket is not null)];
        }

        foreach (var party in simulated)
        {
            party.Socket!.Dispose();
        }
    }

    /// <summary>A host that has not sent Connected by the deadline loses its podcast (discord-podcasts/backend-beta src/podcast.rs).</summary>
    internal void StartDeadline(Podcast podcast) => _ = DeadlineAsync(podcast);

    private async Task DeadlineAsync(Podcast podcast)
    {
        try
        {
            await Task.Delay(Options.HostDeadline, Transcript.Time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        MockConnection? host;
        lock (_gate)
        {
            if (podcast.Ended || podcast.Host is not { Joined: false, Connection: { } connection })
            {
                return;
            }

            host = connection;
        }

        await host.CloseAsync(1000, DeadlineReason).ConfigureAwait(false);
        await EndAsync(podcast).ConfigureAwait(false);
    }

    /// <summary>An event to every party of the podcast that is on a WebSocket.</summary>
    private async Task AnnounceAsync(Podcast podcast, int code, JsonObject data)
    {
        List<MockConnection> connections;
        lock (_gate)
        {
            // Only parties that have had their Hello: nothing reaches a client before it (resources/websocket.md §Lifecycle).
            connections = [.. podcast.Parties.Where(p => p.Connection is { IsOpen: true } && p.Greeted && !p.Ended).Select(p => p.Connection!)];
        }

        var text = PodcastCodec.Format(Envelope, code, data);
        foreach (var connection in connections)
        {
            await connection.SendTextAsync(text).ConfigureAwait(false);
        }
    }

    /// <summary>Template names, as scenarios refer to them.</summary>
    public static class Templates
    {
        /// <summary>Hello for the connection's podcast (the simulated one for a connection that has none).</summary>
        public const string Hello = "hello";

        /// <summary>ClientJoin with the connection's own client id.</summary>
        public const string ClientJoin = "client_join";

        public const string Disconnected = "disconnected";

        public const string End = "end";
    }
}

/// <summary>Each datagram on a podcast's UDP socket goes to the relay.</summary>
internal sealed class PodcastRelay(PodcastMock mock, Podcast podcast) : DatagramHandler
{
    public override Task OnDatagramAsync(UdpPeer peer, DatagramRecorded datagram) => mock.RelayAsync(podcast, peer, datagram);
}
