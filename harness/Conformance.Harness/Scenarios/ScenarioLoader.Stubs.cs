using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

public sealed partial class ScenarioLoader
{
    private static readonly string[] MatcherKinds = ["equalTo", "contains", "matches", "equalToJson", "absent"];
    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private List<HttpStub> ReadStubs(YamlMappingNode top)
    {
        var stubs = new List<HttpStub>();
        if (Value(top, "stubs") is not { } node)
        {
            return stubs;
        }

        if (node is not YamlSequenceNode list)
        {
            Error(node, $"'stubs' must be a list of {{request, response}} mappings, found {node.Kind()}");
            return stubs;
        }

        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode map)
            {
                Error(item, $"a stub is a mapping with 'request' and 'response', found {item.Kind()}");
                continue;
            }

            if (!Keys(map, "stub", "request", "response"))
            {
                continue;
            }

            // Both halves are read before giving up, so one pass reports the errors of each.
            var matcher = Section(map, "request") is { } request ? ReadStubRequest(request) : null;
            var response = Value(map, "response") switch
            {
                null => ReadStubResponse(null),
                YamlMappingNode section => ReadStubResponse(section),
                var other => BadResponse(other),
            };
            if (matcher is not null && response is not null)
            {
                stubs.Add(new HttpStub(item.Mark(_path), matcher, response));
            }
        }

        return stubs;
    }

    private StubResponse? BadResponse(YamlNode node)
    {
        Error(node, $"'response' must be a mapping such as {{ status: 404 }}, found {node.Kind()}");
        return null;
    }

    /// <summary>An HTTP method name; ANY (every method) where <paramref name="allowAny"/>.</summary>
    internal string? Method(YamlNode node, bool allowAny)
    {
        var name = String(node, "method")?.ToUpperInvariant();
        if (name is null || HttpMethods.Contains(name) || (allowAny && name == "ANY"))
        {
            return name;
        }

        Error(node, $"unknown HTTP method '{name}'" + Suggest.Hint(name, allowAny ? [.. HttpMethods, "ANY"] : HttpMethods));
        return null;
    }

    private YamlMappingNode? Section(YamlMappingNode map, string key)
    {
        switch (Value(map, key))
        {
            case YamlMappingNode section:
                return section;
            case null:
                Error(map, $"a stub needs '{key}'");
                return null;
            case var other:
                Error(other, $"'{key}' must be a mapping, found {other.Kind()}");
                return null;
        }
    }

    private StubRequest? ReadStubRequest(YamlMappingNode map)
    {
        if (!Keys(map, "request", "method", "url", "urlPath", "urlPathPattern", "queryParameters", "headers", "bodyPatterns"))
        {
            return null;
        }

        var urls = new[] { "url", "urlPath", "urlPathPattern" }.Where(k => Value(map, k) is not null).ToList();
        if (urls.Count != 1)
        {
            Error(map, urls.Count == 0 ? "a stub request needs one of url, urlPath or urlPathPattern" : $"a stub request takes only one of url, urlPath or urlPathPattern, found {string.Join(" and ", urls)}");
            return null;
        }

        var pattern = Value(map, "urlPathPattern") is { } p ? Regex(p) : null;
        var method = Value(map, "method") is { } m ? Method(m, allowAny: true) : "ANY";
        if (method is null)
        {
            return null;
        }

        var bodies = new List<ValueMatcher>();
        if (Value(map, "bodyPatterns") is { } bodyNode)
        {
            if (bodyNode is YamlSequenceNode bodyList)
            {
                bodies.AddRange(bodyList.Children.Select(b => Matcher(b, "body pattern")).OfType<ValueMatcher>());
            }
            else
            {
                Error(bodyNode, $"'bodyPatterns' must be a list of matchers such as {{ contains: text }}, found {bodyNode.Kind()}");
            }
        }

        return new StubRequest(
            method,
            OptionalString(map, "url"),
            OptionalString(map, "urlPath"),
            pattern,
            Matchers(map, "queryParameters"),
            Matchers(map, "headers"),
            bodies);
    }

    private StubResponse? ReadStubResponse(YamlMappingNode? map)
    {
        if (map is null)
        {
            return new StubResponse(200, new Dictionary<string, string>(), null, null, TimeSpan.Zero);
        }

        if (!Keys(map, "response", "status", "headers", "jsonBody", "body", "fixedDelayMilliseconds"))
        {
            return null;
        }

        if (Value(map, "jsonBody") is not null && Value(map, "body") is not null)
        {
            Error(map, "a stub response takes 'jsonBody' or 'body', not both");
            return null;
        }

        if (Value(map, "body") is { } bodyNode and not YamlScalarNode)
        {
            Error(bodyNode, $"'body' is the answer's text; for JSON use 'jsonBody' (found {bodyNode.Kind()})");
            return null;
        }

        var status = Value(map, "status") is { } s ? Integer(s, "status", 100, 599) : 200;
        var delay = Value(map, "fixedDelayMilliseconds") is { } d ? Integer(d, "fixedDelayMilliseconds", 0, 60_000) : 0;
        return status is null || delay is null
            ? null
            : new StubResponse(status.Value, TextMap(map, "headers", "header"), Value(map, "jsonBody")?.ToJson(),
                Value(map, "body") is YamlScalarNode { Value: var body } ? body : null, TimeSpan.FromMilliseconds(delay.Value));
    }

    private Dictionary<string, ValueMatcher> Matchers(YamlMappingNode map, string key)
    {
        var matchers = new Dictionary<string, ValueMatcher>(key == "headers" ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        if (Value(map, key) is not { } node)
        {
            return matchers;
        }

        if (node is not YamlMappingNode entries)
        {
            Error(node, $"'{key}' must map names to matchers such as {{ equalTo: value }}, found {node.Kind()}");
            return matchers;
        }

        foreach (var (k, v) in entries.Children)
        {
            if (KeyName(k) is { } name && Matcher(v, $"'{name}'") is { } matcher)
            {
                matchers[name] = matcher;
            }
        }

        return matchers;
    }

    /// <summary>A WireMock matcher mapping, or a plain value as shorthand for <c>equalTo</c>.</summary>
    private ValueMatcher? Matcher(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: var plain })
        {
            return new ValueMatcher(plain ?? "", null, null, null, false);
        }

        if (node is not YamlMappingNode { Children.Count: 1 } map)
        {
            Error(node, $"{what} needs one matcher ({string.Join(", ", MatcherKinds)}), found {node.Kind()}");
            return null;
        }

        var (key, value) = map.Children.First();
        var kind = KeyName(key);
        if (kind is "equalTo" or "contains" or "matches" && value is not YamlScalarNode)
        {
            Error(value, $"'{kind}' takes a text value, found {value.Kind()}");
            return null;
        }

        switch (kind)
        {
            case "equalTo":
                return new ValueMatcher(((YamlScalarNode)value).Value ?? "", null, null, null, false);
            case "contains":
                return new ValueMatcher(null, ((YamlScalarNode)value).Value ?? "", null, null, false);
            case "matches":
                return Regex(value) is { } regex ? new ValueMatcher(null, null, regex, null, false) : null;
            case "equalToJson":
                return new ValueMatcher(null, null, null, value is YamlScalarNode { Value: { } json } && Mocks.Json.JsonText.TryParse(json) is { } parsed ? parsed : value.ToJson(), false);
            case "absent" when value is YamlScalarNode { Value: "true" }:
                return new ValueMatcher(null, null, null, null, true);
            case "absent":
                Error(value, $"'absent' takes only true (leave the matcher out to allow any value), found {value.Kind()}");
                return null;
            case null:
                return null;
            default:
                Error(key, $"unknown matcher '{kind}'" + Suggest.Hint(kind, MatcherKinds));
                return null;
        }
    }
}
