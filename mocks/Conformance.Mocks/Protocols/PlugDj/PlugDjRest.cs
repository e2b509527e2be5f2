using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// The REST endpoints plug.dj clients call around the socket: CSRF and session from /_/mobile/init, login, the socket
/// token, room join, state and history, chat history, the user, logout. Errors use the envelope's status names. Each
/// route names the public document its shape comes from; "plugcommunity/documentation" is the repository
/// github.com/plugcommunity/documentation, whose api/endpoints/*.md pages show each answer.
/// </summary>
internal sealed class PlugDjRest(PlugDjOptions options, PlugDjWorld world)
{
    private const string Cookie = "session";

    public IReadOnlyList<HttpRoute> Routes() =>
    [
        new("GET", "/_/mobile/init", Init) { Name = "mobile/init" },
        new("POST", "/_/auth/login", Login) { Name = "auth/login" },
        new("GET", "/_/auth/token", Token) { Name = "auth/token" },
        new("DELETE", "/_/auth/session", Logout) { Name = "auth/session" },
        new("POST", "/_/rooms/join", Join) { Name = "rooms/join" },
        new("GET", "/_/rooms/state", State) { Name = "rooms/state" },
        new("GET", "/_/rooms/history", History) { Name = "rooms/history" },
        new("GET", "/_/chat/history", ChatHistory) { Name = "chat/history" },
        new("GET", "/_/users/me", Me) { Name = "users/me" },
    ];

    private static HttpReply WithSession(HttpReply reply, PlugDjWorld.Session session) => reply with
    {
        Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Set-Cookie"] = $"{Cookie}={session.Id}; Path=/; HttpOnly" },
    };

    /// <summary>
    /// A guest session and its CSRF token: <c>data[0]</c> = {<c>c</c> CSRF, <c>t</c> server time}. Sources:
    /// miniplug/plug-login src/index.js getCsrf (reads <c>data[0].c</c> and the <c>session</c> Set-Cookie);
    /// plugCubed/plugAPI lib/client.js (5.1.1) _performLoginCredentials, which hands <c>data[0].t</c> to
    /// DateUtilities.setServerTime, and convertUnixDateStringToDate / getSecondsElapsed there, which read it with
    /// <c>substr</c> as "YYYY-MM-DD HH:MM:SS.ffffff" (the same string the web page holds in <c>_st</c>, which
    /// plugAPI's guest login reads and plugcommunity/documentation api/socket.md §Sending Messages calls
    /// <c>window._st</c>). So t is that string, in UTC, not a number.
    /// </summary>
    private Task<HttpReply> Init(HttpRequestContext request)
    {
        var session = world.NewSession();
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult(WithSession(PlugDjEnvelope.Ok(new JsonObject { ["c"] = session.Csrf, ["t"] = now }), session));
    }

    private Task<HttpReply> Login(HttpRequestContext request)
    {
        var session = SessionOf(request);
        var body = JsonText.TryParse(request.Body) as JsonObject;
        string? Field(string name) => body?[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        HttpReply reply;
        if (Field("email") is not { } email || Field("password") is not { } password)
        {
            reply = PlugDjEnvelope.Error(400, "requestError", "email and password are required");
        }
        else if (session is null || Field("csrf") != session.Csrf)
        {
            reply = PlugDjEnvelope.Error(403, "csrfTokenInvalid", "the csrf token does not match the session from /_/mobile/init");
        }
        else if (email != options.Email || password != options.Password)
        {
            reply = PlugDjEnvelope.Error(401, "badLogin", "wrong email or password");
        }
        else
        {
            // The session the cookie names is the one that logs in, and the answer sets that same cookie again:
            // plugCubed/plugAPI lib/client.js (5.1.1) _performLoginCredentials never stores the login answer's
            // Set-Cookie and sends the /_/mobile/init cookie to auth/token and users/me afterwards, and
            // miniplug/plug-login src/index.js user() fetches the token with the init cookie too; both worked
            // against plug.dj. Answer data [] as in plugcommunity/documentation api/endpoints/auth_login.md.
            session.LoggedIn = true;
            return Task.FromResult(WithSession(PlugDjEnvelope.Ok(), session));
        }

        return Task.FromResult(reply);
    }

    /// <summary>
    /// The socket token, <c>data[0]</c> a string (seed §Connecting step 2; plugcommunity/documentation
    /// api/endpoints/auth_token.md). Guests get one too: miniplug/plug-login src/index.js guest() asks for it with
    /// only the session cookie of a page visit.
    /// </summary>
    private Task<HttpReply> Token(HttpRequestContext request) => Task.FromResult(
        SessionOf(request) is { } session
            ? PlugDjEnvelope.Ok(JsonValue.Create(world.IssueToken(session)))
            : NotAuthorized());

    /// <summary>Logs the session out (plugcommunity/documentation api/endpoints/auth_session.md, DELETE).</summary>
    private Task<HttpReply> Logout(HttpRequestContext request)
    {
        if (SessionOf(request) is not { } session)
        {
            return Task.FromResult(NotAuthorized());
        }

        session.Ended = true;
        return Task.FromResult(PlugDjEnvelope.Ok());
    }

    private Task<HttpReply> Join(HttpRequestContext request)
    {
        if (SessionOf(request) is not { LoggedIn: true } session)
        {
            return Task.FromResult(NotAuthorized());
        }

        // plugcommunity/documentation api/endpoints/rooms_join.md: {slug} in, data [] out; a missing slug is
        // requestError "slug is required". Another slug is notFound, the status plugAPI lib/client.js _sendREST
        // reports as an invalid room slug.
        var slug = (JsonText.TryParse(request.Body) as JsonObject)?["slug"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (slug is null)
        {
            return Task.FromResult(PlugDjEnvelope.Error(400, "requestError", "slug is required"));
        }

        if (slug != options.Room)
        {
            return Task.FromResult(PlugDjEnvelope.Error(404, "notFound", $"no room '{slug}'"));
        }

        session.Room = slug;
        return Task.FromResult(PlugDjEnvelope.Ok());
    }

    /// <summary>
    /// plugcommunity/documentation api/endpoints/rooms_state.md: one object {booth, fx, grabs, meta, mutes, playback,
    /// role, users, votes}; on the dashboard (no room joined) requestError "not in a room.". plugAPI's
    /// lib/room.js setRoomData and miniplug's index.js roomsPlugin (roomState → meta.guests, users) read these keys.
    /// </summary>
    private Task<HttpReply> State(HttpRequestContext request)
    {
        if (SessionOf(request) is not { LoggedIn: true } session)
        {
            return Task.FromResult(NotAuthorized());
        }

        if (session.Room is null)
        {
            return Task.FromResult(PlugDjEnvelope.Error(400, "requestError", "not in a room."));
        }

        var state = new JsonObject
        {
            ["booth"] = new JsonObject { ["currentDJ"] = null, ["isLocked"] = false, ["shouldCycle"] = true, ["waitingDJs"] = new JsonArray() },
            ["fx"] = new JsonArray(),
            ["grabs"] = new JsonObject(),
            ["meta"] = new JsonObject
            {
                ["name"] = "Conformance Lounge",
                ["slug"] = options.Room,
                ["description"] = "",
                ["welcome"] = "Welcome!",
                ["population"] = 1,
                ["guests"] = 0,
                ["minChatLevel"] = 1,
            },
            ["mutes"] = new JsonObject(),
            ["playback"] = new JsonObject(),
            ["role"] = 0,
            ["users"] = new JsonArray(world.Me.DeepClone()),
            ["votes"] = new JsonObject(),
        };
        return Task.FromResult(PlugDjEnvelope.Ok(state));
    }

    /// <summary>
    /// plugcommunity/documentation api/endpoints/rooms_history.md: data is the array of history entries {id, media,
    /// room, score, timestamp, user}, newest first; the mock's room has played nothing yet, so it is empty.
    /// plugAPI lib/client.js asks for it after every join and advance.
    /// </summary>
    private Task<HttpReply> History(HttpRequestContext request) => Task.FromResult(
        SessionOf(request) is { LoggedIn: true } ? PlugDjEnvelope.Ok() : NotAuthorized());

    /// <summary>
    /// miniplug/miniplug src/plugins/chat.js getChatHistory (index.js chatPlugin in the 2.0.3 package) reads
    /// <c>data[0].history</c> (chat messages) and <c>data[0].users</c>; no chat has happened in the mock's room.
    /// </summary>
    private Task<HttpReply> ChatHistory(HttpRequestContext request) => Task.FromResult(
        SessionOf(request) is { LoggedIn: true, Room: not null }
            ? PlugDjEnvelope.Ok(new JsonObject { ["history"] = new JsonArray(), ["users"] = new JsonArray(world.Me.DeepClone()) })
            : NotAuthorized());

    /// <summary>
    /// The logged-in user (plugcommunity/documentation api/endpoints/users_me.md); plugAPI lib/client.js reads
    /// <c>data[0]</c> after the ack (setSelf) and miniplug's getMe on connect.
    /// </summary>
    private Task<HttpReply> Me(HttpRequestContext request) => Task.FromResult(
        SessionOf(request) is { LoggedIn: true } ? PlugDjEnvelope.Ok(world.Me.DeepClone()) : NotAuthorized());

    private PlugDjWorld.Session? SessionOf(HttpRequestContext request) =>
        world.FindSession(request.Http.Request.Cookies.TryGetValue(Cookie, out var id) ? id : null);

    private static HttpReply NotAuthorized() => PlugDjEnvelope.Error(401, "notAuthorized", "log in first: no valid session cookie");
}
