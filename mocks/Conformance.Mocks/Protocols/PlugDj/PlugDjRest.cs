using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// The REST endpoints plug.dj clients call around the socket (digest §5): CSRF and session from /_/mobile/init, login,
/// the socket token, room join and state, the user, logout. Errors use the envelope's status names.
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
        new("GET", "/_/users/me", Me) { Name = "users/me" },
    ];

    private static HttpReply WithSession(HttpReply reply, PlugDjWorld.Session session) => reply with
    {
        Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Set-Cookie"] = $"{Cookie}={session.Id}; Path=/; HttpOnly" },
    };

    private Task<HttpReply> Init(HttpRequestContext request)
    {
        var session = world.NewSession();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
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
            var loggedIn = world.NewSession();
            loggedIn.LoggedIn = true;
            return Task.FromResult(WithSession(PlugDjEnvelope.Ok(), loggedIn));
        }

        return Task.FromResult(reply);
    }

    /// <summary>seed §Connecting step 2: the socket token comes from auth/token; guests get one too (digest §5).</summary>
    private Task<HttpReply> Token(HttpRequestContext request) => Task.FromResult(
        SessionOf(request) is { } session
            ? PlugDjEnvelope.Ok(JsonValue.Create(world.IssueToken(session)))
            : NotAuthorized());

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

        var slug = (JsonText.TryParse(request.Body) as JsonObject)?["slug"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (slug != options.Room)
        {
            return Task.FromResult(PlugDjEnvelope.Error(404, "notFound", $"no room '{slug}'"));
        }

        session.Room = slug;
        return Task.FromResult(PlugDjEnvelope.Ok());
    }

    private Task<HttpReply> State(HttpRequestContext request)
    {
        if (SessionOf(request) is not { LoggedIn: true, Room: not null })
        {
            return Task.FromResult(NotAuthorized());
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

    private Task<HttpReply> Me(HttpRequestContext request) => Task.FromResult(
        SessionOf(request) is { LoggedIn: true } ? PlugDjEnvelope.Ok(world.Me.DeepClone()) : NotAuthorized());

    private PlugDjWorld.Session? SessionOf(HttpRequestContext request) =>
        world.FindSession(request.Http.Request.Cookies.TryGetValue(Cookie, out var id) ? id : null);

    private static HttpReply NotAuthorized() => PlugDjEnvelope.Error(401, "notAuthorized", "log in first: no valid session cookie");
}
