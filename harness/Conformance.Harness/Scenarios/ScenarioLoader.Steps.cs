using System.Text.RegularExpressions;
using Conformance.Harness.Protocols;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

public sealed partial class ScenarioLoader
{
    private static readonly string[] StepKinds =
        ["send", "expect", "expect_connect", "expect_close", "expect_silence", "expect_alive", "expect_output", "expect_http", "wait", "close", "drop"];

    private static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(5);

    private readonly HashSet<string> _captures = new(StringComparer.Ordinal);

    private List<Step> ReadSteps(YamlMappingNode top, IProtocolModule? module, List<string> rules)
    {
        var steps = new List<Step>();
        _captures.Clear();
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
                Error(item, $"a step is a mapping with one key, the step kind ({string.Join(", ", StepKinds)}), found {item.Kind()}");
                continue;
            }

            var (key, body) = map.Children.First();
            if (KeyName(key) is not { } kind)
            {
                continue;
            }

            var step = ReadStep(kind, key, body, module);
            if (step is null)
            {
                continue;
            }

            if (step.IsExpectation)
            {
                step = AssignRule(step, body, rules);
            }

            steps.Add(step);
        }

        return steps;
    }

    private Step? ReadStep(string kind, YamlNode key, YamlNode body, IProtocolModule? module)
    {
        var mark = key.Mark(_path);
        switch (kind)
        {
            case "wait":
                return Duration(body, "wait") is { } wait ? new WaitStep(mark, wait) : null;
            case "drop":
                if (body is YamlMappingNode { Children.Count: > 0 } or YamlSequenceNode || body is YamlScalarNode { Value: { Length: > 0 } and not "~" and not "null" })
                {
                    Error(body, "'drop' takes no settings; write 'drop: {}'");
                    return null;
                }

                return new DropStep(mark);
        }

        if (!StepKinds.Contains(kind))
        {
            Error(key, $"unknown step '{kind}'" + Suggest.Hint(kind, StepKinds));
            return null;
        }

        if (body is not YamlMappingNode map)
        {
            Error(body, $"'{kind}' takes a mapping of its settings, found {body.Kind()}");
            return null;
        }

        return kind switch
        {
            "send" => ReadSend(mark, map, module),
            "expect" => ReadExpect(mark, map),
            "expect_connect" => ReadExpectConnect(mark, map),
            "expect_close" => Keys(map, "expect_close", "code", "within", "rule") &&
                Code(map, "code") is var (ok, code) && ok
                ? new ExpectCloseStep(mark, code, OptionalDuration(map, "within") ?? DefaultWithin)
                : null,
            "expect_silence" => Keys(map, "expect_silence", "for", "ignore", "rule") &&
                Required(map, "expect_silence", "for", "a duration such as 300ms") is { } f && Duration(f, "for") is { } d
                ? new ExpectSilenceStep(mark, d, IgnoreHeartbeats(map))
                : null,
            "expect_alive" => Keys(map, "expect_alive", "for", "rule") &&
                Required(map, "expect_alive", "for", "a duration such as 300ms") is { } f2 && Duration(f2, "for") is { } d2
                ? new ExpectAliveStep(mark, d2)
                : null,
            "expect_output" => ReadExpectOutput(mark, map),
            "expect_http" => ReadExpectHttp(mark, map),
            "close" => Keys(map, "close", "code", "reason") && Code(map, "code") is var (ok2, c) && ok2
                ? new CloseStep(mark, c ?? 1000, OptionalString(map, "reason") ?? "")
                : null,
            _ => null,
        };
    }

    private bool Keys(YamlMappingNode map, string what, params string[] allowed)
    {
        var before = _errors.Count;
        CheckKeys(map, allowed, $"'{what}'");
        return _errors.Count == before;
    }

    private YamlNode? Required(YamlMappingNode map, string step, string key, string what)
    {
        var value = Value(map, key);
        if (value is null)
        {
            Error(map, $"'{step}' needs '{key}', {what}");
        }

        return value;
    }

    private (bool Ok, int? Code) Code(YamlMappingNode map, string key) =>
        Value(map, key) is not { } node ? (true, null) : Integer(node, key, 1000, 4999) is { } code ? (true, code) : (false, null);

    private bool IgnoreHeartbeats(YamlMappingNode map)
    {
        if (Value(map, "ignore") is not { } node)
        {
            return false;
        }

        if (node is YamlScalarNode { Value: "heartbeats" })
        {
            return true;
        }

        Error(node, $"'ignore' accepts only 'heartbeats', found {node.Kind()}");
        return false;
    }

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

    private Step? ReadExpectConnect(SourceMark mark, YamlMappingNode map)
    {
        if (!Keys(map, "expect_connect", "path", "headers", "query", "within", "rule"))
        {
            return null;
        }

        return new ExpectConnectStep(mark, OptionalString(map, "path"), TextMap(map, "headers", "header"), OptionalDuration(map, "within") ?? DefaultWithin)
        {
            Query = TextMap(map, "query", "query parameter"),
        };
    }

    /// <summary>A mapping of names to text values, such as headers or query parameters.</summary>
    private Dictionary<string, string> TextMap(YamlMappingNode map, string key, string what)
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

    private Step? ReadExpectHttp(SourceMark mark, YamlMappingNode map)
    {
        if (!Keys(map, "expect_http", "method", "path", "status", "count", "within", "rule") ||
            Required(map, "expect_http", "path", "the request path such as /_/auth/token") is not { } pathNode)
        {
            return null;
        }

        var status = Value(map, "status") is { } s ? Integer(s, "status", 100, 599) : null;
        var count = Value(map, "count") is { } c ? Integer(c, "count", 1, 100_000) : 1;
        var method = Value(map, "method") is { } m ? Method(m, allowAny: false) : null;
        return String(pathNode, "path") is { } path && count is not null && (method is not null || Value(map, "method") is null)
            ? new ExpectHttpStep(mark, method, path, status, count.Value, OptionalDuration(map, "within") ?? DefaultWithin)
            : null;
    }

    private Step? ReadExpectOutput(SourceMark mark, YamlMappingNode map)
    {
        if (!Keys(map, "expect_output", "regex", "stream", "within", "rule") ||
            Required(map, "expect_output", "regex", "a regular expression for one output line") is not { } node)
        {
            return null;
        }

        var stream = OptionalString(map, "stream");
        if (stream is not null and not "stdout" and not "stderr")
        {
            Error(Value(map, "stream")!, $"'stream' must be stdout or stderr, found '{stream}'");
        }

        return Regex(node) is { } regex ? new ExpectOutputStep(mark, regex, stream, OptionalDuration(map, "within") ?? DefaultWithin) : null;
    }

    private Regex? Regex(YamlNode node)
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

    private Step? ReadExpect(SourceMark mark, YamlMappingNode map)
    {
        if (!Keys(map, "expect", "json", "regex", "text", "binary", "within", "count", "capture", "rule"))
        {
            return null;
        }

        var forms = new[] { "json", "regex", "text", "binary" }.Where(k => Value(map, k) is not null).ToList();
        if (forms.Count != 1)
        {
            Error(map, forms.Count == 0
                ? "'expect' needs one of json, regex, text or binary to say which client frame it waits for"
                : $"'expect' takes only one of json, regex, text or binary, found {string.Join(" and ", forms)}");
            return null;
        }

        var match = forms[0] switch
        {
            "json" => new FrameMatch(Value(map, "json")!.ToJson(), null, null, false),
            "regex" => Regex(Value(map, "regex")!) is { } r ? new FrameMatch(null, r, null, false) : null,
            "text" => new FrameMatch(null, null, String(Value(map, "text")!, "text"), false),
            _ => Value(map, "binary") is YamlScalarNode { Value: "true" } ? new FrameMatch(null, null, null, true) : BinaryNotTrue(Value(map, "binary")!),
        };
        var count = Value(map, "count") is { } c ? Integer(c, "count", 1, 100_000) : 1;
        var captures = ReadCaptures(map);
        return match is null || count is null
            ? null
            : new ExpectStep(mark, match, OptionalDuration(map, "within") ?? DefaultWithin, count.Value, captures);
    }

    private Dictionary<string, string> ReadCaptures(YamlMappingNode map)
    {
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Value(map, "capture") is not { } node)
        {
            return captures;
        }

        if (node is not YamlMappingNode cm)
        {
            Error(node, $"'capture' must map variable names to JSON paths such as $.d.song.id, found {node.Kind()}");
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
                Error(v, $"capture '{name}': '{path}' is not a JSON path such as $.d.song.id or $.d.lastPlayed[0].title");
                continue;
            }

            captures[name] = path;
            _captures.Add(name);
        }

        return captures;
    }

    private FrameMatch? BinaryNotTrue(YamlNode node)
    {
        Error(node, $"'binary: true' waits for a binary frame; found {node.Kind()}");
        return null;
    }

    private Step? ReadSend(SourceMark mark, YamlMappingNode map, IProtocolModule? module)
    {
        if (!Keys(map, "send", "json", "text", "binary", "template", "templates", "with", "fragment"))
        {
            return null;
        }

        var forms = new[] { "json", "text", "binary", "template", "templates" }.Where(k => Value(map, k) is not null).ToList();
        if (forms.Count != 1)
        {
            Error(map, forms.Count == 0
                ? "'send' needs one of json, text, binary, template or templates"
                : $"'send' takes only one of json, text, binary, template or templates, found {string.Join(" and ", forms)}");
            return null;
        }

        var with = Value(map, "with");
        if (with is not null && !forms[0].StartsWith("template", StringComparison.Ordinal))
        {
            Error(with, "'with' merges into a template; use it together with 'template' or 'templates'");
        }
        else if (with is not null)
        {
            CheckVariables(with);
        }

        var fragments = Value(map, "fragment") is { } f ? Integer(f, "fragment", 1, 1000) : 1;
        if (fragments is null)
        {
            return null;
        }

        if (forms[0] == "templates")
        {
            if (Value(map, "templates") is not YamlSequenceNode { Children.Count: > 0 } names)
            {
                Error(Value(map, "templates")!, "'templates' must be a non-empty list of template names, sent together as one frame");
                return null;
            }

            if (fragments > 1)
            {
                Error(Value(map, "fragment")!, "'fragment' splits one message; it does not combine with 'templates'");
                return null;
            }

            var list = names.Children.Select(n => Template(n, module)).ToList();
            return list.Any(n => n is null)
                ? null
                : new SendStep(mark, new Payload(null, null, null, null, with?.ToJson()) { Templates = list! }, 1);
        }

        var payload = forms[0] switch
        {
            "json" => new Payload(Value(map, "json")!.ToJson(), null, null, null, null),
            "text" => Value(map, "text") is YamlScalarNode { Value: var t } ? new Payload(null, t ?? "", null, null, null) : null,
            "binary" => Base64(Value(map, "binary")!) is { } bytes ? new Payload(null, null, bytes, null, null) : null,
            _ => Template(Value(map, "template")!, module) is { } name ? new Payload(null, null, null, name, with?.ToJson()) : null,
        };
        if (forms[0] == "text" && payload is null)
        {
            Error(Value(map, "text")!, "'text' must be a string");
        }

        CheckVariables(Value(map, forms[0])!);
        return payload is null ? null : new SendStep(mark, payload, fragments.Value);
    }

    private byte[]? Base64(YamlNode node)
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

        Error(node, $"'binary' must be base64, found {node.Kind()}");
        return null;
    }

    private string? Template(YamlNode node, IProtocolModule? module)
    {
        var name = String(node, "template");
        if (name is not null && module is not null && !module.Templates.Contains(name))
        {
            Error(node, $"unknown template '{name}' for {module.Id} (known: {string.Join(", ", module.Templates.Order(StringComparer.Ordinal))})");
            return null;
        }

        return name;
    }

    /// <summary>Every <c>${name}</c> in a payload must have been captured by an earlier expectation.</summary>
    private void CheckVariables(YamlNode node)
    {
        foreach (var scalar in node.AllNodes.OfType<YamlScalarNode>())
        {
            foreach (Match m in Variables.Pattern.Matches(scalar.Value ?? ""))
            {
                if (!_captures.Contains(m.Groups[1].Value))
                {
                    Error(scalar, $"variable '${{{m.Groups[1].Value}}}' is not captured by an earlier 'expect'");
                }
            }
        }
    }
}
