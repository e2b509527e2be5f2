using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Rules;

/// <summary>The rules of one protocol, read from <c>specs/&lt;protocol&gt;/rules.yaml</c>.</summary>
public sealed class RuleCatalog
{
    private readonly Dictionary<string, Rule> _rules;

    public RuleCatalog(string protocol, IEnumerable<Rule> rules)
    {
        Protocol = protocol;
        _rules = rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public string Protocol { get; }

    public IEnumerable<Rule> All => _rules.Values.OrderBy(r => r.Id, StringComparer.Ordinal);

    public bool TryGet(string id, out Rule rule) => _rules.TryGetValue(id, out rule!);

    public Rule this[string id] =>
        _rules.TryGetValue(id, out var rule) ? rule : throw new KeyNotFoundException($"No rule '{id}' in the {Protocol} catalogue.");

    /// <summary>
    /// Reads a catalogue: a YAML sequence of <c>{id, level: MUST|SHOULD, text, source}</c>. Malformed entries throw
    /// with the file, line and column.
    /// </summary>
    public static RuleCatalog Load(string protocol, string path)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        var rules = new List<Rule>();
        foreach (var node in ((YamlSequenceNode)yaml.Documents[0].RootNode).Children.Cast<YamlMappingNode>())
        {
            string Field(string name) =>
                node.Children.TryGetValue(new YamlScalarNode(name), out var value) && value is YamlScalarNode { Value: { } text }
                    ? text
                    : throw new FormatException($"{path}:{node.Start.Line}:{node.Start.Column}: rule needs '{name}'");
            var level = Field("level") switch
            {
                "MUST" => RuleLevel.Must,
                "SHOULD" => RuleLevel.Should,
                var other => throw new FormatException($"{path}:{node.Start.Line}:{node.Start.Column}: level '{other}' is not MUST or SHOULD"),
            };
            var id = Field("id");
            if (!id.StartsWith(protocol + ".", StringComparison.Ordinal))
            {
                throw new FormatException($"{path}:{node.Start.Line}:{node.Start.Column}: rule id '{id}' must start with '{protocol}.'");
            }

            rules.Add(new Rule(id, level, Field("text"), Field("source")));
        }

        return new RuleCatalog(protocol, rules);
    }
}
