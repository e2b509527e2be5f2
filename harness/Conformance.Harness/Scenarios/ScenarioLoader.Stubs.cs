using Conformance.Mocks.Hosting;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Reads WireMock mappings (wiremock.org/docs/stubbing, the JSON shape, here as YAML) into <see cref="HttpStub"/>s, with an
/// error at the line and column of each thing WireMock.Net could not take. Matching and answering are WireMock.Net's.
/// </summary>
public sealed partial class ScenarioLoader
{
    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    private static readonly string[] UrlKeys = ["url", "urlPattern", "urlPath", "urlPathPattern"];

    // What a WireMock export carries beside request and response that says nothing about matching or answering.
    private static readonly string[] StubKeys =
        ["request", "response", "name", "priority", "scenarioName", "requiredScenarioState", "newScenarioState", "id", "uuid", "persistent", "insertionIndex", "metadata"];

    /// <summary>
    /// Reads a WireMock mapping file (JSON is YAML): one mapping, a list of them, or <c>{ "mappings": [...] }</c> as
    /// WireMock's admin API exports them.
    /// </summary>
    internal (List<HttpStub> Stubs, IReadOnlyList<ScenarioError> Errors) LoadMappings(string path, string text)
    {
        _errors.Clear();
        _path = path;
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            return ([], [YamlSyntax.Explain(path, text, ex)]);
        }

        var stubs = root switch
        {
            null => [],
            YamlSequenceNode => ReadStubList(root, "mappings"),
            YamlMappingNode map when Value(map, "mappings") is { } list => Keys(map, "mapping file", "mappings", "meta") ? ReadStubList(list, "mappings") : [],
            _ => ReadStub(root) is { } stub ? [stub] : [],
        };
        // Like a scenario, a mapping file with an error loads nothing.
        return (_errors.Count == 0 ? stubs : [], [.. _errors]);
    }

    private List<HttpStub> ReadStubs(YamlMappingNode top) =>
        Value(top, "stubs") is { } node ? ReadStubList(node, "stubs") : [];

    private List<HttpStub> ReadStubList(YamlNode node, string key)
    {
        var stubs = new List<HttpStub>();
        if (node is not YamlSequenceNode list)
        {
            Error(node, $"'{key}' must be a list of {{request, response}} mappings, found {node.Kind()}");
            return stubs;
        }

        foreach (var item in list.Children)
        {
            if (ReadStub(item) is { } stub)
            {
                stubs.Add(stub);
            }
        }

        return stubs;
    }

    private HttpStub? ReadStub(YamlNode item)
    {
        if (item is not YamlMappingNode map)
        {
            Error(item, $"a stub is a mapping with 'request' and 'response', found {item.Kind()}");
            return null;
        }

        if (!Keys(map, "stub", StubKeys))
        {
            return null;
        }

        // Both halves are read before giving up, so one pass reports the errors of each.
        var request = Section(map, "request") is { } section ? ReadStubRequest(section) : null;
        var response = Value(map, "response") switch
        {
            null => new StubResponse(200, new Dictionary<string, string>()),
            YamlMappingNode answer => ReadStubResponse(answer),
            var other => BadResponse(other),
        };
        var priority = Value(map, "priority") is { } p ? Integer(p, "priority", 1, 1000) : 5;
        if (request is null || response is null || priority is null)
        {
            return null;
        }

        var stub = new HttpStub(item.Mark(_path), request, response)
        {
            Priority = priority.Value,
            ScenarioName = OptionalString(map, "scenarioName"),
            RequiredState = OptionalString(map, "requiredScenarioState"),
            NewState = OptionalString(map, "newScenarioState"),
        };
        if (stub.ScenarioName is null && (stub.RequiredState ?? stub.NewState) is not null)
        {
            Error(map, "'requiredScenarioState' and 'newScenarioState' need 'scenarioName'");
            return null;
        }

        return OptionalString(map, "name") is { } name ? stub with { Name = name } : stub;
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
        if (!Keys(map, "request", ["method", .. UrlKeys, "queryParameters", "headers", "cookies", "bodyPatterns"]))
        {
            return null;
        }

        var urls = UrlKeys.Where(k => Value(map, k) is not null).ToList();
        if (urls.Count > 1)
        {
            Error(map, $"a stub request takes only one of {string.Join(", ", UrlKeys[..^1])} or {UrlKeys[^1]}, found {string.Join(" and ", urls)}");
            return null;
        }

        var (kind, url) = urls.Count == 0 ? (UrlMatchKind.UrlPathPattern, ".*") : UrlMatch(map, urls[0]);
        var method = Value(map, "method") is { } m ? Method(m, allowAny: true) : "ANY";
        if (method is null || url is null)
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

        return new StubRequest(method, kind, url, Matchers(map, "queryParameters"), Matchers(map, "headers"), Matchers(map, "cookies"), bodies);
    }

    private (UrlMatchKind Kind, string? Url) UrlMatch(YamlMappingNode map, string key)
    {
        var node = Value(map, key)!;
        return key switch
        {
            "url" => (UrlMatchKind.Url, String(node, key)),
            "urlPath" => (UrlMatchKind.UrlPath, String(node, key)),
            "urlPattern" => (UrlMatchKind.UrlPattern, Regex(node)?.ToString()),
            _ => (UrlMatchKind.UrlPathPattern, Regex(node)?.ToString()),
        };
    }

    private StubResponse? ReadStubResponse(YamlMappingNode map)
    {
        string[] bodies = ["jsonBody", "body", "base64Body"];
        if (!Keys(map, "response", ["status", "headers", .. bodies, "fixedDelayMilliseconds", "delayDistribution", "transformers", "fault"]))
        {
            return null;
        }

        var given = bodies.Where(b => Value(map, b) is not null).ToList();
        if (given.Count > 1)
        {
            Error(map, $"a stub response takes 'jsonBody' or 'body', not both" + (given.Contains("base64Body") ? " (nor 'base64Body' with either)" : ""));
            return null;
        }

        if (Value(map, "body") is { } bodyNode and not YamlScalarNode)
        {
            Error(bodyNode, $"'body' is the answer's text; for JSON use 'jsonBody' (found {bodyNode.Kind()})");
            return null;
        }

        var before = _errors.Count;
        var status = Value(map, "status") is { } s ? Integer(s, "status", 100, 599) : 200;
        var delay = Value(map, "fixedDelayMilliseconds") is { } d ? Integer(d, "fixedDelayMilliseconds", 0, 60_000) : 0;
        var random = Value(map, "delayDistribution") is { } distribution ? DelayDistribution(distribution) : null;
        var templated = Value(map, "transformers") is { } transformers && Transformers(transformers);
        var fault = Value(map, "fault") is { } faultNode ? Fault(faultNode) : HttpFault.None;
        var binary = Value(map, "base64Body") is { } base64 ? Base64(base64, "base64Body") : null;
        if (status is null || delay is null || _errors.Count > before)
        {
            return null;
        }

        return new StubResponse(status.Value, TextMap(map, "headers", "header"))
        {
            JsonBody = Value(map, "jsonBody")?.ToJson(),
            Body = Value(map, "body") is YamlScalarNode { Value: var body } ? body : null,
            BinaryBody = binary,
            Delay = TimeSpan.FromMilliseconds(delay.Value),
            RandomDelay = random,
            Templated = templated,
            Fault = fault ?? HttpFault.None,
        };
    }

    /// <summary><c>delayDistribution: { type: uniform, lower: 100, upper: 300 }</c>, in milliseconds.</summary>
    private (TimeSpan, TimeSpan)? DelayDistribution(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, $"'delayDistribution' must be a mapping such as {{ type: uniform, lower: 100, upper: 300 }}, found {node.Kind()}");
            return null;
        }

        // The distribution first: WireMock's lognormal (median, sigma) is a shape WireMock.Net does not have.
        if (Value(map, "type") is not YamlScalarNode { Value: "uniform" })
        {
            Error(Value(map, "type") ?? map, "WireMock.Net draws delays from a uniform distribution only: 'delayDistribution' needs type: uniform, lower and upper");
            return null;
        }

        if (!Keys(map, "delayDistribution", "type", "lower", "upper"))
        {
            return null;
        }

        var lower = Value(map, "lower") is { } l ? Integer(l, "lower", 0, 60_000) : null;
        var upper = Value(map, "upper") is { } u ? Integer(u, "upper", 0, 60_000) : null;
        if (lower is null || upper is null || lower > upper)
        {
            Error(map, "'delayDistribution' needs lower and upper, in milliseconds, lower not above upper");
            return null;
        }

        return (TimeSpan.FromMilliseconds(lower.Value), TimeSpan.FromMilliseconds(upper.Value));
    }

    /// <summary><c>transformers: [response-template]</c>, the one transformer WireMock.Net has (Handlebars).</summary>
    private bool Transformers(YamlNode node)
    {
        if (node is YamlSequenceNode list && list.Children.All(c => c is YamlScalarNode { Value: "response-template" }))
        {
            return list.Children.Count > 0;
        }

        var wrong = node is YamlSequenceNode items ? items.Children.First(c => c is not YamlScalarNode { Value: "response-template" }) : node;
        Error(wrong, "'transformers' takes [response-template] (WireMock.Net's Handlebars templating), found " + wrong.Kind());
        return false;
    }

    private HttpFault? Fault(YamlNode node)
    {
        if (node is YamlScalarNode { Value: { } name } && HttpFaultNames.Parse(name) is { } fault)
        {
            return fault;
        }

        var text = node is YamlScalarNode { Value: { } value } ? value : "";
        Error(node, $"unknown fault {node.Kind()}; WireMock's faults are {string.Join(", ", HttpFaultNames.All)}" + Suggest.Hint(text, [.. HttpFaultNames.All]));
        return null;
    }
}
