using System.Text.Json.Nodes;
using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Harness.Rules;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// The per-protocol parts of the scenario schema, from each protocol's module (<see cref="IProtocolModule"/> and its
/// <see cref="ProtocolDescription"/>), rule catalogue and option type: the <c>protocol</c> enum; a top-level
/// <c>anyOf</c> branch per protocol narrowing id, endpoint, rules, profile, requires, withhold, mock and the send templates to
/// what that protocol allows; and the <c>&lt;id&gt;Mock</c> and <c>&lt;id&gt;Template</c> definitions it refers to.
/// A new protocol needs no schema edit.
/// </summary>
internal static class ProtocolSchema
{
    public static void Add(JsonObject schema, IReadOnlyList<IProtocolModule> protocols, Specs specs)
    {
        if (protocols.Count == 0)
        {
            throw new ArgumentException("The scenario schema needs at least one protocol.", nameof(protocols));
        }

        var properties = schema["properties"]!.AsObject();
        var definitions = schema["definitions"]!.AsObject();
        foreach (var protocol in protocols)
        {
            string[] names = [protocol.Id, MockName(protocol), TemplateName(protocol)];
            if (names.FirstOrDefault(definitions.ContainsKey) is { } taken)
            {
                throw new InvalidOperationException($"Protocol '{protocol.Id}' cannot have the schema definition '{taken}': it is taken.");
            }

            definitions[protocol.Id] = Branch(protocol, specs.Rules(protocol.Id));
            definitions[MockName(protocol)] = Mock(protocol);
            definitions[TemplateName(protocol)] = new JsonObject
            {
                ["description"] = protocol.Description.Templates,
                ["enum"] = Strings(protocol.Templates),
            };
        }

        properties["protocol"]!["enum"] = Strings(protocols.Select(p => p.Id));
        Append(properties["protocol"]!, Each(protocols, p => p.Description.Title));
        Append(properties["endpoint"]!, Each(protocols, p => string.Join(", ", p.Endpoints)));
        Append(properties["mock"]!, Each(protocols, p => p.OptionsType.Name));
        schema.Insert(schema.IndexOf("definitions"), "anyOf", new JsonArray([.. protocols.Select(p => Ref(p.Id))]));
    }

    private static JsonObject Branch(IProtocolModule protocol, RuleCatalog rules)
    {
        var id = protocol.Id;
        var title = protocol.Description.Title;
        return new JsonObject
        {
            ["description"] =
                $"What protocol '{id}' ({title}) allows: its endpoints, rules, client features, client variables, mock options and send templates.",
            ["$comment"] = $"Generated from {protocol.GetType().Name}, specs/{id}/rules.yaml and {protocol.OptionsType.Name}.",
            ["properties"] = new JsonObject
            {
                ["protocol"] = new JsonObject { ["description"] = $"{title}.", ["enum"] = Strings([id]) },
                ["id"] = new JsonObject { ["description"] = $"{id} scenario ids start with '{id}/'.", ["pattern"] = $"^{id}/" },
                ["endpoint"] = new JsonObject
                {
                    ["description"] = $"Endpoints of the {title} mock, the first being the default: " +
                        Described(protocol, "endpoint", protocol.Endpoints, protocol.Description.Endpoints, (n, d) => $"{n}: {d}", "; ") + ".",
                    ["enum"] = Strings(protocol.Endpoints),
                },
                ["rules"] = new JsonObject
                {
                    ["description"] = $"Rule ids from specs/{id}/rules.yaml.",
                    ["items"] = new JsonObject { ["description"] = $"A {id} rule id.", ["enum"] = Strings(rules.All.Select(r => r.Id)) },
                },
                ["profile"] = new JsonObject
                {
                    ["description"] = $"{id} profiles, the default first: " +
                        string.Join("; ", protocol.Profiles.Select(p => $"{p.Name}: {Clause(p.Summary)} ({p.Source})")) + ".",
                    ["enum"] = Strings(protocol.Profiles.Select(p => p.Name)),
                },
                ["requires"] = Requires(protocol),
                ["withhold"] = Withhold(protocol),
                ["mock"] = new JsonObject { ["description"] = $"{title} mock options.", ["$ref"] = $"#/definitions/{MockName(protocol)}" },
                ["steps"] = Steps(protocol),
            },
        };
    }

    private static JsonObject Requires(IProtocolModule protocol) => protocol.Features.Count == 0
        ? new JsonObject
        {
            ["description"] = $"{protocol.Id} has no client features: every {protocol.Id} scenario judges every client.",
            ["maxItems"] = 0,
        }
        : new JsonObject
        {
            ["description"] = $"{protocol.Id} client features: " +
                string.Join(", ", protocol.Features.Select(f => $"{f.Name} ({Clause(f.Description)})")) + ".",
            ["items"] = new JsonObject
            {
                ["description"] = $"A {protocol.Id} client feature.",
                ["enum"] = Strings(protocol.Features.Select(f => f.Name)),
            },
        };

    private static JsonObject Withhold(IProtocolModule protocol)
    {
        var own = protocol.ClientVariables.Count == 0 ? " only"
            : ", and " + Described(protocol, "client variable", protocol.ClientVariables, protocol.Description.ClientVariables, (n, d) => $"{n} ({d})", ", ");
        return new JsonObject
        {
            ["description"] = $"Variables a {protocol.Description.Title} client is given: the engine's{own}.",
            ["items"] = new JsonObject
            {
                ["description"] = $"A variable a {protocol.Id} client is given.",
                ["enum"] = Strings(ClientVariables.Engine.Concat(protocol.ClientVariables)),
            },
        };
    }

    /// <summary>Narrows the send step's <c>template</c> and <c>templates</c> to the protocol's templates.</summary>
    private static JsonObject Steps(IProtocolModule protocol)
    {
        var title = protocol.Description.Title;
        var template = new JsonObject { ["description"] = $"A {title} template.", ["$ref"] = $"#/definitions/{TemplateName(protocol)}" };
        return new JsonObject
        {
            ["description"] = $"{protocol.Id} steps.",
            ["items"] = new JsonObject
            {
                ["description"] = $"A {protocol.Id} step.",
                ["properties"] = new JsonObject
                {
                    ["send"] = new JsonObject
                    {
                        ["description"] = $"A frame the {title} mock sends.",
                        ["properties"] = new JsonObject
                        {
                            ["template"] = template,
                            ["templates"] = new JsonObject
                            {
                                ["description"] = $"{title} templates sent together as one frame.",
                                ["items"] = template.DeepClone(),
                            },
                        },
                    },
                },
            },
        };
    }

    private static JsonObject Mock(IProtocolModule protocol) => new()
    {
        ["description"] = $"{protocol.Description.Title} mock options ({protocol.OptionsType.Name}).",
        ["type"] = "object",
        ["additionalProperties"] = false,
        ["properties"] = HostOptions(MockOptionBinder.Schema(protocol.OptionsType, protocol.CreateOptions())),
    };

    /// <summary>The options every mock has beside its protocol's: each is the step of that name, set before the client starts.</summary>
    private static JsonObject HostOptions(JsonObject options)
    {
        foreach (var (option, step) in ScenarioLoader.HostOptionSteps)
        {
            options[option] = new JsonObject
            {
                ["description"] = $"The '{step}' step, set before the client starts (the same as '- {step}: ...' as the first step).",
                ["$ref"] = $"#/definitions/{ScenarioSchema.DefinitionName(StepKinds.Find(step)!)}",
            };
        }

        return options;
    }

    /// <summary>Every name with its description, as <paramref name="item"/> writes them; the module must describe each name and no other.</summary>
    private static string Described(
        IProtocolModule protocol,
        string what,
        IReadOnlyCollection<string> names,
        IReadOnlyDictionary<string, string> descriptions,
        Func<string, string, string> item,
        string separator)
    {
        if (names.FirstOrDefault(n => !descriptions.ContainsKey(n)) is { } missing)
        {
            throw new InvalidOperationException($"Protocol '{protocol.Id}' does not describe its {what} '{missing}' (IProtocolModule.Description).");
        }

        if (descriptions.Keys.FirstOrDefault(n => !names.Contains(n, StringComparer.Ordinal)) is { } stray)
        {
            throw new InvalidOperationException($"Protocol '{protocol.Id}' describes a {what} '{stray}' it does not have (IProtocolModule.Description).");
        }

        return string.Join(separator, names.Select(n => item(n, descriptions[n])));
    }

    private static string MockName(IProtocolModule protocol) => protocol.Id + "Mock";

    private static string TemplateName(IProtocolModule protocol) => protocol.Id + "Template";

    private static JsonObject Ref(string definition) => new() { ["$ref"] = $"#/definitions/{definition}" };

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => JsonValue.Create(v))];

    /// <summary><c>listenmoe: a; plugdj: b.</c></summary>
    private static string Each(IEnumerable<IProtocolModule> protocols, Func<IProtocolModule, string> fact) =>
        string.Join("; ", protocols.Select(p => $"{p.Id}: {fact(p)}")) + ".";

    private static void Append(JsonNode node, string sentence) => node["description"] = $"{(string?)node["description"]} {sentence}";

    /// <summary>A sentence as a clause inside parentheses: lower-case first letter, no closing full stop.</summary>
    private static string Clause(string sentence) =>
        sentence.Length == 0 ? sentence : char.ToLowerInvariant(sentence[0]) + sentence[1..].TrimEnd('.');
}
