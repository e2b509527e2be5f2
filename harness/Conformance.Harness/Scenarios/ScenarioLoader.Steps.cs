using System.Text.RegularExpressions;
using Conformance.Harness.Protocols;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

public sealed partial class ScenarioLoader
{
    /// <summary>Keys any step body may have besides its own: which connection or channel it acts on, and its rule.</summary>
    internal static readonly string[] SharedStepKeys = ["on", "rule"];

    private readonly HashSet<string> _captures = new(StringComparer.Ordinal);

    /// <summary>The file being read, for marks.</summary>
    internal string Path => _path;

    /// <summary>The steps, after those the host options of the <c>mock:</c> block stand for.</summary>
    private List<Step> ReadSteps(YamlMappingNode top, IProtocolModule? module, List<string> rules, List<(YamlNode Key, YamlNode Body)> hostOptions)
    {
        var steps = new List<Step>();
        _captures.Clear();
        _channelNames.Clear();
        foreach (var (key, body) in hostOptions)
        {
            var option = ((YamlScalarNode)key).Value!;
            if (ReadStep(StepKinds.Find(HostOptionSteps[option])!, key, body, module, rules, $"mock option {option}") is { } step)
            {
                steps.Add(step);
            }
        }

        var node = Value(top, "steps");
        if (node is null)
        {
            Error(top, "missing 'steps': a scenario needs at least one step");
            return steps;
        }

        if (node is not YamlSequenceNode list)
        {
            Error(node, $"'steps' must be a list of steps, found {node.Kind()}");
            return steps;
        }

        if (list.Children.Count == 0)
        {
            Error(node, "'steps' is empty; a scenario needs at least one step");
            return steps;
        }

        foreach (var item in list.Children)
        {
            if (item is YamlMappingNode { Children.Count: > 1 } several)
            {
                var keys = string.Join(", ", several.Children.Keys.Select(k => (k as YamlScalarNode)?.Value ?? "?"));
                Error(item, $"this step has {several.Children.Count} keys ({keys}); a step has exactly one, the step kind: start each step with '- '");
                continue;
            }

            if (item is not YamlMappingNode { Children.Count: 1 } map)
            {
                Error(item, $"a step is a mapping with one key, the step kind ({string.Join(", ", StepKinds.Names)}), found {item.Kind()}");
                continue;
            }

            var (key, body) = map.Children.First();
            if (KeyName(key) is not { } name)
            {
                continue;
            }

            if (StepKinds.Find(name) is not { } kind)
            {
                Error(key, $"unknown step '{name}'" + Suggest.Hint(name, [.. StepKinds.Names]));
                continue;
            }

            if (ReadStep(kind, key, body, module, rules) is { } step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    /// <summary>Reads one step; <paramref name="name"/> is what errors call it (a mock option's name for the step it stands for).</summary>
    private Step? ReadStep(StepKind kind, YamlNode key, YamlNode body, IProtocolModule? module, List<string> rules, string? name = null)
    {
        var known = new HashSet<string>(_captures, StringComparer.Ordinal);
        string[] named = [.. _channelNames];
        var before = _errors.Count;
        var step = kind.Read(new StepSyntax(this, name ?? kind.Name, key, body, module, rules));
        CheckVariables(body, known);
        if (step is null || _errors.Count > before)
        {
            return null;
        }

        var map = body as YamlMappingNode;
        if (map is not null && Value(map, "on") is { } on)
        {
            if (!kind.TakesChannel)
            {
                Error(on, $"'{kind.Name}' does not act on a connection, so it takes no 'on'");
                return null;
            }

            step = ReadOn(on, module, named) is { } target ? step with { On = target } : null;
        }

        if (map is not null && Value(map, "rule") is { } ruleNode && !kind.IsExpectation)
        {
            Error(ruleNode, $"'{kind.Name}' is an action, not an expectation, so it takes no 'rule'");
            return null;
        }

        return step is not null && kind.IsExpectation ? AssignRule(step, body, rules) : step;
    }

    internal bool Keys(YamlMappingNode map, string what, params string[] allowed)
    {
        var before = _errors.Count;
        CheckKeys(map, allowed, $"'{what}'");
        return _errors.Count == before;
    }

    internal YamlNode? Required(YamlMappingNode map, string step, string key, string what)
    {
        var value = Value(map, key);
        if (value is null)
        {
            Error(map, $"'{step}' needs '{key}', {what}");
        }

        return value;
    }

    /// <summary>An optional true or false: (true, null) when absent, (false, null) after an error reported at the value.</summary>
    internal (bool Ok, bool? Value) OptionalBoolean(YamlMappingNode map, string key)
    {
        switch (Value(map, key))
        {
            case null:
                return (true, null);
            case YamlScalarNode { Value: "true" }:
                return (true, true);
            case YamlScalarNode { Value: "false" }:
                return (true, false);
            case var node:
                Error(node, $"'{key}' is true or false, found {node.Kind()}");
                return (false, null);
        }
    }

    internal (bool Ok, int? Code) Code(YamlMappingNode map, string key) =>
        Value(map, key) is not { } node ? (true, null) : Integer(node, key, 1000, 4999) is { } code ? (true, code) : (false, null);

    private Step AssignRule(Step step, YamlNode body, List<string> rules)
    {
        var node = body is YamlMappingNode map ? Value(map, "rule") : null;
        if (node is not null)
        {
            var rule = String(node, "rule");
            if (rule is not null && !rules.Contains(rule))
            {
                Error(node, $"rule '{rule}' is not listed in the scenario's 'rules'");
            }

            return step with { Rule = rule };
        }

        if (rules.Count == 1)
        {
            return step with { Rule = rules[0] };
        }

        if (rules.Count > 1)
        {
            Error(body, $"this expectation needs 'rule:' (the scenario lists {rules.Count} rules, so which one it checks is not clear)");
        }

        return step;
    }

    /// <summary>A mapping of names to text values, such as headers or query parameters.</summary>
    internal Dictionary<string, string> TextMap(YamlMappingNode map, string key, string what)
    {
        var values = new Dictionary<string, string>(key == "headers" ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        if (Value(map, key) is not { } node)
        {
            return values;
        }

        if (node is not YamlMappingNode entries)
        {
            Error(node, $"'{key}' must be a mapping of names to values, found {node.Kind()}");
            return values;
        }

        foreach (var (k, v) in entries.Children)
        {
            if (KeyName(k) is not { } name)
            {
                continue;
            }

            if (v is YamlScalarNode { Value: var value })
            {
                values[name] = value ?? "";
            }
            else
            {
                Error(v, $"{what} '{name}' must have a text value, found {v.Kind()}");
            }
        }

        return values;
    }

    internal Regex? Regex(YamlNode node)
    {
        if (String(node, "regex") is not { } pattern)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            Error(node, $"invalid regex '{pattern}': {ex.Message}");
            return null;
        }
    }

    /// <summary><c>capture:</c>, variable names to JSON paths into the matched event; the names become usable as <c>${name}</c> in later steps.</summary>
    internal Dictionary<string, string> ReadCaptures(YamlMappingNode map, string example = "$.d.song.id")
    {
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Value(map, "capture") is not { } node)
        {
            return captures;
        }

        if (node is not YamlMappingNode cm)
        {
            Error(node, $"'capture' must map variable names to JSON paths such as {example}, found {node.Kind()}");
            return captures;
        }

        foreach (var (k, v) in cm.Children)
        {
            if (KeyName(k) is not { } name)
            {
                continue;
            }

            var path = (v as YamlScalarNode)?.Value ?? "";
            if (!JsonPath.IsValid(path))
            {
                Error(v, $"capture '{name}': '{path}' is not a JSON path such as {example} or $.d.lastPlayed[0].title");
                continue;
            }

            captures[name] = path;
            DeclareCapture(name);
        }

        return captures;
    }

    /// <summary>Makes <c>${name}</c> usable in the steps that follow.</summary>
    internal void DeclareCapture(string name) => _captures.Add(name);

    internal byte[]? Base64(YamlNode node, string key = "binary")
    {
        if (node is YamlScalarNode { Value: { } text })
        {
            try
            {
                return Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                // Reported below.
            }
        }

        Error(node, $"'{key}' must be base64, found {node.Kind()}");
        return null;
    }

    internal string? Template(YamlNode node, IProtocolModule? module)
    {
        var name = String(node, "template");
        if (name is not null && module is not null && !module.Templates.Contains(name))
        {
            Error(node, $"unknown template '{name}' for {module.Id} (known: {string.Join(", ", module.Templates.Order(StringComparer.Ordinal))})");
            return null;
        }

        return name;
    }

    /// <summary>Every <c>${name}</c> in a step must have been captured by an earlier step (capture paths themselves are not values).</summary>
    private void CheckVariables(YamlNode node, HashSet<string> known)
    {
        var paths = (node as YamlMappingNode) is { } map && Value(map, "capture") is { } capture ? capture.AllNodes.ToHashSet() : [];
        foreach (var scalar in node.AllNodes.OfType<YamlScalarNode>().Where(s => !paths.Contains(s)))
        {
            foreach (Match m in Variables.Pattern.Matches(scalar.Value ?? ""))
            {
                if (!known.Contains(m.Groups[1].Value))
                {
                    Error(scalar, $"variable '${{{m.Groups[1].Value}}}' is not captured by an earlier step");
                }
            }
        }
    }
}
