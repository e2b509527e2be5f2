using System.Text;
using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// Turns a protocol's real frames into near misses: fields deleted, retyped, enlarged or added, nested too deep, keys
/// given twice, text cut short or with bytes changed, so the frames reach deep into a mock's handlers before going wrong.
/// </summary>
internal sealed class JsonMutator(Random random, RandomJson json, IReadOnlyList<string> realFrames)
{
    private const string DeepMarker = "@@fuzz-deep@@";

    /// <summary>The real frames that are JSON (plug.dj's keep-alive <c>h</c> is not).</summary>
    private readonly string[] _jsonFrames = [.. realFrames.Where(f => JsonText.TryParse(f) is not null)];

    /// <summary>A real frame with one to three changes, as UTF-8 (possibly no longer valid UTF-8).</summary>
    public byte[] Mutate()
    {
        var root = JsonNode.Parse(_jsonFrames[random.Next(_jsonFrames.Length)])!;
        var deep = false;
        var changes = random.Next(1, 4);
        for (var i = 0; i < changes; i++)
        {
            (root, var nested) = MutateNode(root);
            deep |= nested;
        }

        var text = JsonText.Write(root);
        if (deep)
        {
            text = text.Replace($"\"{DeepMarker}\"", json.DeepNesting(), StringComparison.Ordinal);
        }

        text = random.Next(6) switch
        {
            0 => DuplicateKey(root, text),
            1 when text.Length > 0 => text[..random.Next(text.Length)],
            _ => text,
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        if (random.Next(8) == 0 && bytes.Length > 0)
        {
            // A byte changed anywhere: broken JSON, or broken UTF-8.
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }

        return bytes;
    }

    /// <summary>One change to a random node of <paramref name="root"/>; the new root (it may be replaced itself).</summary>
    private (JsonNode? Root, bool Deep) MutateNode(JsonNode? root)
    {
        var nodes = new List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)> { (null, null, -1, root) };
        Collect(root, nodes);
        var (parent, key, index, node) = nodes[random.Next(nodes.Count)];
        JsonNode? replacement;
        var deep = false;
        switch (random.Next(7))
        {
            case 0 when parent is not null:
                Remove(parent, key, index);
                return (root, false);
            case 1 when node is JsonObject o:
                o[json.Key()] = json.Value(2);
                return (root, false);
            case 2:
                replacement = Enlarge(out deep);
                break;
            case 3:
                replacement = JsonNode.Parse(_jsonFrames[random.Next(_jsonFrames.Length)]);
                break;
            default:
                replacement = json.Value(2);
                break;
        }

        if (parent is null)
        {
            return (replacement, deep);
        }

        Replace(parent, key, index, replacement);
        return (root, deep);
    }

    private JsonNode? Enlarge(out bool deep)
    {
        deep = false;
        switch (random.Next(4))
        {
            case 0:
                return JsonValue.Create(new string((char)random.Next('a', 'z' + 1), random.Next(1000, 20_000)));
            case 1:
                return JsonNode.Parse(random.Next(2) == 0 ? new string('9', random.Next(20, 400)) : "1e" + random.Next(300, 100_000));
            case 2:
                var items = new JsonArray();
                var count = random.Next(100, 2000);
                for (var i = 0; i < count; i++)
                {
                    items.Add(i);
                }

                return items;
            default:
                deep = true;
                return JsonValue.Create(DeepMarker);
        }
    }

    /// <summary>The root object's first key given a second time, earlier, with another value (RFC 8259 §4: names SHOULD be unique).</summary>
    private string DuplicateKey(JsonNode? root, string text)
    {
        if (root is not JsonObject { Count: > 0 } o || !text.StartsWith('{'))
        {
            return text;
        }

        var key = o.ElementAt(random.Next(o.Count)).Key;
        return "{" + JsonText.Write(JsonValue.Create(key)) + ":" + JsonText.Write(json.Value(2)) + "," + text[1..];
    }

    private static void Collect(JsonNode? node, List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    into.Add((o, k, -1, v));
                    Collect(v, into);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    into.Add((a, null, i, a[i]));
                    Collect(a[i], into);
                }

                break;
            default:
                break;
        }
    }

    private static void Remove(JsonNode parent, string? key, int index)
    {
        if (parent is JsonObject o)
        {
            o.Remove(key!);
        }
        else
        {
            ((JsonArray)parent).RemoveAt(index);
        }
    }

    private static void Replace(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (parent is JsonObject o)
        {
            o[key!] = value;
        }
        else
        {
            ((JsonArray)parent)[index] = value;
        }
    }
}
