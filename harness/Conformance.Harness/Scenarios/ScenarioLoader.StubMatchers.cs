using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

public sealed partial class ScenarioLoader
{
    private static readonly Dictionary<string, MatcherKind> MatcherNames = new(StringComparer.Ordinal)
    {
        ["equalTo"] = MatcherKind.EqualTo,
        ["contains"] = MatcherKind.Contains,
        ["doesNotContain"] = MatcherKind.DoesNotContain,
        ["matches"] = MatcherKind.Matches,
        ["doesNotMatch"] = MatcherKind.DoesNotMatch,
        ["equalToJson"] = MatcherKind.EqualToJson,
        ["matchesJsonPath"] = MatcherKind.MatchesJsonPath,
        ["matchesXPath"] = MatcherKind.MatchesXPath,
        ["absent"] = MatcherKind.Absent,
    };

    // A matcher's modifiers, beside its one kind: which kind each goes with.
    private static readonly Dictionary<string, MatcherKind> Modifiers = new(StringComparer.Ordinal)
    {
        ["caseInsensitive"] = MatcherKind.EqualTo,
        ["ignoreExtraElements"] = MatcherKind.EqualToJson,
    };

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
            if (KeyName(k) is not { } name || Matcher(v, $"'{name}'") is not { } matcher)
            {
                continue;
            }

            if (matcher.Kind == MatcherKind.EqualToJson)
            {
                Error(v, $"'equalToJson' compares a request body: use it in 'bodyPatterns' (for '{name}' use equalTo or matchesJsonPath)");
                continue;
            }

            matchers[name] = matcher;
        }

        return matchers;
    }

    /// <summary>A WireMock matcher mapping (one kind, and its modifiers), or a plain value as shorthand for <c>equalTo</c>.</summary>
    private ValueMatcher? Matcher(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: var plain })
        {
            return new ValueMatcher(MatcherKind.EqualTo, plain ?? "");
        }

        var kinds = node is YamlMappingNode m ? m.Children.Where(c => c.Key is not YamlScalarNode { Value: { } k } || !Modifiers.ContainsKey(k)).ToList() : [];
        if (node is not YamlMappingNode map || kinds.Count != 1)
        {
            var found = kinds.Count > 1
                ? $"found {kinds.Count}: " + string.Join(" and ", kinds.Select(k => k.Key is YamlScalarNode { Value: { } name } ? name : "?"))
                : $"found {node.Kind()}";
            Error(node, $"{what} needs one matcher ({string.Join(", ", MatcherNames.Keys)}), {found}");
            return null;
        }

        var (key, value) = kinds[0];
        if (KeyName(key) is not { } name)
        {
            return null;
        }

        if (!MatcherNames.TryGetValue(name, out var kind))
        {
            Error(key, $"unknown matcher '{name}'" + Suggest.Hint(name, [.. MatcherNames.Keys]));
            return null;
        }

        return Modified(map, kind, value) is { } modified ? MatcherValue(kind, value, modified) : null;
    }

    /// <summary>The matcher with its modifiers; null (and an error) for a modifier that does not go with the kind.</summary>
    private ValueMatcher? Modified(YamlMappingNode map, MatcherKind kind, YamlNode value)
    {
        var matcher = new ValueMatcher(kind);
        foreach (var (key, setting) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || !Modifiers.TryGetValue(name, out var owner))
            {
                continue;
            }

            var ownerName = MatcherNames.First(p => p.Value == owner).Key;
            if (owner != kind)
            {
                Error(key, $"'{name}' goes only with '{ownerName}', not with '{MatcherNames.First(p => p.Value == kind).Key}'");
                return null;
            }

            if (setting is not YamlScalarNode { Value: "true" or "false" })
            {
                Error(setting, $"'{name}' takes true or false, found {setting.Kind()}");
                return null;
            }

            var on = setting is YamlScalarNode { Value: "true" };
            matcher = name == "caseInsensitive" ? matcher with { CaseInsensitive = on } : matcher with { IgnoreExtraElements = on };
        }

        return matcher;
    }

    private ValueMatcher? MatcherValue(MatcherKind kind, YamlNode value, ValueMatcher matcher)
    {
        var name = MatcherNames.First(p => p.Value == kind).Key;
        switch (kind)
        {
            case MatcherKind.EqualToJson:
                // A JSON text or the JSON itself, written as YAML.
                var json = value is YamlScalarNode { Value: { } text } && Mocks.Json.JsonText.TryParse(text) is { } parsed ? parsed : value.ToJson();
                return matcher with { Json = json };
            case MatcherKind.Absent when value is YamlScalarNode { Value: "true" }:
                return matcher;
            case MatcherKind.Absent:
                Error(value, $"'absent' takes only true (leave the matcher out to allow any value), found {value.Kind()}");
                return null;
            case var _ when value is not YamlScalarNode:
                Error(value, $"'{name}' takes a text value, found {value.Kind()}");
                return null;
            case MatcherKind.Matches or MatcherKind.DoesNotMatch:
                return Regex(value) is { } regex ? matcher with { Pattern = regex.ToString() } : null;
            default:
                return matcher with { Pattern = ((YamlScalarNode)value).Value ?? "" };
        }
    }
}
