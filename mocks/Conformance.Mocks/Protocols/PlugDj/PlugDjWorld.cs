using System.Globalization;
using System.Text.Json.Nodes;
using Bogus;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// The mock's plug.dj state: sessions from the REST flow, issued socket tokens, the user the client logs in as, and
/// seeded generators for other users and media, so the same seed gives the same frames.
/// </summary>
internal sealed class PlugDjWorld
{
    private readonly PlugDjOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tokens = new(StringComparer.Ordinal);
    private Faker _faker;
    private int _counter;
    private int _echoes;
    private int _authRefusals;

    public PlugDjWorld(PlugDjOptions options)
    {
        _options = options;
        _faker = NewFaker();
        Me = NewUser(5398);
    }

    public JsonObject Me { get; private set; }

    public int MyId => Me["id"]!.GetValue<int>();

    public string MyName => Me["username"]!.GetValue<string>();

    /// <summary>Forgets sessions and tokens and starts the generators over.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _sessions.Clear();
            _tokens.Clear();
            _counter = 0;
            _echoes = 0;
            _authRefusals = 0;
            _faker = NewFaker();
            Me = NewUser(5398);
        }
    }

    /// <summary>A guest session with a fresh CSRF token. Session ids hold raw '|' like the real cookie (specs/plugdj/README.md §REST).</summary>
    public Session NewSession()
    {
        lock (_gate)
        {
            var n = ++_counter;
            var session = new Session($"{n}|{_options.Seed:x}|conformance", $"csrf{n:x4}{_options.Seed:x}");
            _sessions[session.Id] = session;
            return session;
        }
    }

    public Session? FindSession(string? id)
    {
        lock (_gate)
        {
            return id is not null && _sessions.TryGetValue(id, out var s) && !s.Ended ? s : null;
        }
    }

    public string IssueToken(Session session)
    {
        lock (_gate)
        {
            var token = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"token:{session.Id}:{++_counter}"));
            _tokens.Add(token);
            return token;
        }
    }

    public bool IsValidToken(string token)
    {
        lock (_gate)
        {
            return token == _options.Token || _tokens.Contains(token);
        }
    }

    /// <summary>True while fewer than <see cref="PlugDjOptions.RejectAuths"/> valid auths have been refused; counts this one.</summary>
    public bool TakeAuthRefusal()
    {
        lock (_gate)
        {
            if (_authRefusals >= _options.RejectAuths)
            {
                return false;
            }

            _authRefusals++;
            return true;
        }
    }

    public int Next()
    {
        lock (_gate)
        {
            return ++_counter;
        }
    }

    /// <summary>
    /// The number of the client's next echoed chat, counted apart from <see cref="Next"/>: whether the client chats before
    /// or after a scripted event is built does not change either's ids.
    /// </summary>
    public int NextEcho()
    {
        lock (_gate)
        {
            return ++_echoes;
        }
    }

    public JsonObject NewUser(int? id = null)
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["id"] = id ?? _faker.Random.Int(100_000, 9_999_999),
                ["username"] = _faker.Internet.UserName(),
                ["avatarID"] = _faker.PickRandom("base01", "base12", "hiphop03", "classic05"),
                ["language"] = _faker.PickRandom("en", "ja", "nl", "pt"),
                ["guest"] = false,
                ["level"] = _faker.Random.Int(1, 40),
                ["role"] = 0,
                ["gRole"] = 0,
                ["joined"] = "2015-07-25 12:00:00.000000",
                ["badge"] = null,
                ["slug"] = null,
                ["sub"] = 0,
            };
        }
    }

    public JsonObject NewMedia()
    {
        lock (_gate)
        {
            var youtube = _faker.Random.Bool();
            return new JsonObject
            {
                ["cid"] = youtube ? _faker.Random.AlphaNumeric(11) : _faker.Random.Int(1_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
                ["title"] = _faker.Lorem.Sentence(3).TrimEnd('.'),
                ["author"] = _faker.Name.FullName(),
                ["image"] = "https://i.ytimg.com/vi/" + _faker.Random.AlphaNumeric(11) + "/default.jpg",
                ["duration"] = _faker.Random.Int(120, 420),
                ["format"] = youtube ? 1 : 2,
                ["id"] = _faker.Random.Int(1, 99_999),
            };
        }
    }

    private Faker NewFaker() => new("en") { Random = new Randomizer(_options.Seed) };

    /// <summary>A REST session: guest until login, then logged in; ended by DELETE /_/auth/session.</summary>
    internal sealed class Session(string id, string csrf)
    {
        public string Id { get; } = id;

        public string Csrf { get; } = csrf;

        public bool LoggedIn { get; set; }

        public bool Ended { get; set; }

        public string? Room { get; set; }
    }
}
