using System.Globalization;
using System.Text.Json.Nodes;
using Bogus;

namespace Conformance.Mocks.Protocols.ListenMoe;

/// <summary>
/// A reproducible stream of songs in the shape of seed 000's op 1 example. The generated songs deliberately include
/// what clients trip over (seed §Receiving data): Japanese titles, null <c>nameRomaji</c> and <c>image</c>, empty
/// <c>albums</c> and <c>sources</c>, and a duration of 0.
/// </summary>
internal sealed class SongCatalog
{
    private static readonly string[] TitleWords =
        ["おつかれサマー!", "つけまつける", "恋", "夜空", "ハート", "Trust in you", "桜", "Dreamin'", "未来", "ありがとう", "Starlight", "君の声"];

    private static readonly DateTimeOffset FirstStart = new(2018, 3, 28, 21, 39, 24, 431, TimeSpan.Zero);

    private readonly Faker _latin;
    private readonly Faker _japanese;
    private readonly List<JsonObject> _played = [];
    private DateTimeOffset _startTime = FirstStart;

    /// <summary>How many songs have been generated; picks each new song's shape, so every kind keeps coming round.</summary>
    private int _generated;

    private readonly JsonObject[] _given;

    /// <param name="seed">Seed of the generated songs.</param>
    /// <param name="songs">Songs to play instead, in order and round again; null or empty for generated ones.</param>
    public SongCatalog(int seed, JsonNode? songs = null)
    {
        _latin = new Faker("en") { Random = new Randomizer(seed) };
        _japanese = new Faker("ja") { Random = new Randomizer(seed + 1) };
        _given = songs switch
        {
            null => [],
            JsonArray list when list.All(s => s is JsonObject) => [.. list.Cast<JsonObject>()],
            _ => throw new ArgumentException($"The songs option must be a JSON array of song objects, not {songs.ToJsonString()}.", nameof(songs)),
        };
        for (var i = 0; i < 3; i++)
        {
            _played.Add(NewSong(_generated++));
        }
    }

    /// <summary>The song now playing.</summary>
    public JsonObject Current => _played[^1];

    /// <summary>Up to the last two songs before the current one, newest first (seed: "the past 2 songs played").</summary>
    public IEnumerable<JsonObject> LastPlayed => _played.Take(_played.Count - 1).Reverse().Take(2);

    /// <summary>When the current song started, as the ISO-8601 string the gateway sends.</summary>
    public string StartTime => _startTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public int Listeners { get; private set; } = 92;

    /// <summary>Moves on to the next song.</summary>
    public void Advance()
    {
        var duration = Current["duration"] is JsonValue d && d.TryGetValue(out int seconds) ? seconds : 0;
        _startTime = _startTime.AddSeconds(duration == 0 ? 180 : duration);
        _played.Add(NewSong(_generated++));
        if (_played.Count > 3)
        {
            _played.RemoveAt(0);
        }

        Listeners = _latin.Random.Int(40, 400);
    }

    private JsonObject NewSong(int n)
    {
        if (_given.Length > 0)
        {
            // The first two generated songs are history, so the given list starts with the song now playing.
            return (JsonObject)_given[(((n - 2) % _given.Length) + _given.Length) % _given.Length].DeepClone();
        }

        var japanese = n % 2 == 0;
        var title = japanese ? _japanese.PickRandom(TitleWords) : _latin.Lorem.Sentence(3).TrimEnd('.');
        return new JsonObject
        {
            ["id"] = _latin.Random.Int(1, 20000),
            ["title"] = title,
            ["sources"] = n % 3 == 0 ? new JsonArray() : new JsonArray(Entity("source", n)),
            ["artists"] = new JsonArray(Entity("artist", n)),
            ["albums"] = n % 3 == 1 ? new JsonArray() : new JsonArray(Entity("album", n)),
            ["duration"] = n % 4 == 3 ? 0 : _latin.Random.Int(90, 360),
            ["favorite"] = false,
        };
    }

    private JsonObject Entity(string kind, int n)
    {
        var japanese = n % 2 == 0;
        var name = japanese ? _japanese.Name.FullName() : _latin.Name.FullName();
        return new JsonObject
        {
            ["id"] = _latin.Random.Int(1, 5000),
            ["name"] = kind == "album" ? _latin.Commerce.ProductName() : name,
            ["nameRomaji"] = japanese && n % 4 == 0 ? _latin.Name.FullName() : null,
            ["image"] = n % 2 == 1 ? $"{_latin.Internet.UserName()}_image.jpg" : null,
        };
    }
}
