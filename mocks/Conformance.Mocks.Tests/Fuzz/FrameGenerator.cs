using System.Net.WebSockets;
using System.Text;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// Random client messages for one connection: random bytes in binary frames, random (often invalid) UTF-8 in text
/// frames, valid JSON of random shape, the protocol's real frames as they are and mutated, empty messages, now and then
/// a large one or one over the mock's limit, and some of them split into several frames.
/// </summary>
internal sealed class FrameGenerator
{
    /// <summary>The <see cref="FuzzFrame.Source"/> of a message over the mock's limit.</summary>
    public const string OversizeSource = "oversize";

    private readonly Random _random;
    private readonly RandomJson _json;
    private readonly JsonMutator _mutator;
    private readonly IReadOnlyList<string> _realFrames;
    private readonly int _maxMessageBytes;

    public FrameGenerator(Random random, IReadOnlyList<string> realFrames, IReadOnlyList<string> keys, int maxMessageBytes)
    {
        _random = random;
        _realFrames = realFrames;
        _maxMessageBytes = maxMessageBytes;
        _json = new RandomJson(random, keys);
        _mutator = new JsonMutator(random, _json, realFrames);
    }

    public FuzzFrame Next()
    {
        var pick = _random.Next(10_000);
        var frame = pick switch
        {
            < 2 => Oversize(),
            < 12 => Large(),
            < 1200 => new FuzzFrame(WebSocketMessageType.Binary, Bytes()) { Source = "bytes" },
            < 2200 => new FuzzFrame(WebSocketMessageType.Text, Bytes()) { Source = "bytes-as-text" },
            < 3000 => Text(Encoding.UTF8.GetBytes(_json.String()), "unicode"),
            < 4500 => Text(Encoding.UTF8.GetBytes(JsonText.Write(_json.Value())), "json"),
            < 5100 => Text(Encoding.UTF8.GetBytes(_realFrames[_random.Next(_realFrames.Count)]), "real"),
            < 9600 => Text(_mutator.Mutate(), "mutation"),
            _ => new FuzzFrame(_random.Next(2) == 0 ? WebSocketMessageType.Text : WebSocketMessageType.Binary, []) { Source = "empty" },
        };

        // Some messages go in several frames, some of them empty (RFC 6455 §5.4).
        return _random.Next(100) < 6 ? frame with { Fragments = _random.Next(2, 7) } : frame;
    }

    /// <summary>Text content, sent now and then in a binary frame instead.</summary>
    private FuzzFrame Text(byte[] payload, string source) =>
        new(_random.Next(10) == 0 ? WebSocketMessageType.Binary : WebSocketMessageType.Text, payload) { Source = source };

    private byte[] Bytes()
    {
        var bytes = new byte[_random.Next(8) == 0 ? _random.Next(64, 2048) : _random.Next(0, 64)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private FuzzFrame Large()
    {
        var bytes = new byte[_random.Next(_maxMessageBytes / 4, _maxMessageBytes)];
        _random.NextBytes(bytes);
        return new FuzzFrame(_random.Next(2) == 0 ? WebSocketMessageType.Text : WebSocketMessageType.Binary, bytes) { Source = "large" };
    }

    /// <summary>Over the mock's limit: it records the first bytes and closes with 1009.</summary>
    private FuzzFrame Oversize()
    {
        var bytes = Encoding.ASCII.GetBytes(new string('x', _maxMessageBytes + _random.Next(1, _maxMessageBytes / 2)));
        return new FuzzFrame(WebSocketMessageType.Text, bytes) { Source = OversizeSource };
    }
}
