using System.Text.Json.Nodes;
using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;
using NJsonSchema;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary>
/// The per-protocol parts of the scenario schema, generated from the protocol modules: a protocol the harness does not
/// ship gets its branch without a schema edit, the built-in branches offer what the loader accepts and no more, and
/// the hand-written base schema names no protocol.
/// </summary>
[TestFixture]
public sealed class ProtocolSchemaTests
{
    private const string TinyRules = """
        - id: tiny.greet.reply
          level: MUST
          text: The client answers a greeting.
          source: tiny §Greeting
        """;

    private const string TinyScenario = """
        id: tiny/greet/reply
        protocol: tiny
        rules: [tiny.greet.reply]
        endpoint: main
        requires: [wave]
        withhold: [TINY_TOKEN, CONFORMANCE_URL]
        mock:
          greetDelay: 100ms
        steps:
          - send: { template: greeting }
          - send: { templates: [greeting] }
        """;

    /// <summary>Values a <c>mock:</c> option may be given, as YAML: the schema must take each exactly when the loader does.</summary>
    private static readonly string[] Probes =
        ["250ms", "1.5s", "2m", "300", "1.5", "0", "-1", "true", "text", "null", "[1, 2]", "{ a: 1 }", "[{ title: x }]"];

    private string _specsRoot = null!;
    private Specs _tinySpecs = null!;
    private JsonObject _schemaJson = null!;
    private JsonSchema _schema = null!;

    [OneTimeSetUp]
    public async Task WriteTinySpecsAndLoadSchema()
    {
        _specsRoot = Path.Combine(Path.GetTempPath(), "conformance-tiny-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_specsRoot, TinyModule.ProtocolId));
        await File.WriteAllTextAsync(Path.Combine(_specsRoot, TinyModule.ProtocolId, "rules.yaml"), TinyRules);
        _tinySpecs = new Specs(_specsRoot, [new TinyModule()]);
        _schemaJson = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.SchemaPath))!;
        _schema = await JsonSchema.FromFileAsync(RepoFiles.SchemaPath);
    }

    [OneTimeTearDown]
    public void DeleteTinySpecs() => Directory.Delete(_specsRoot, recursive: true);

    [Test]
    public void Build_ProtocolTheHarnessDoesNotShip_GetsItsOwnBranch()
    {
        // Given the built-in protocols and one the harness does not ship, whose facts are only in its module
        IProtocolModule[] protocols = [.. ProtocolRegistry.All, new TinyModule()];

        // When the schema is built for them
        var schema = ScenarioSchema.Build(protocols, _tinySpecs);

        // Then the new protocol has its enum entry, its anyOf branch and definitions made from its module, rules and options
        var definitions = schema["definitions"]!;
        var branch = definitions["tiny"]!["properties"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Strings(schema["properties"]!["protocol"]!["enum"]), Is.EqualTo(new[] { "listenmoe", "plugdj", "discodo", "nightingale", "podcast", "tiny" }));
            Assert.That(schema["anyOf"]!.AsArray().Select(b => (string?)b!["$ref"]), Does.Contain("#/definitions/tiny"));
            Assert.That((string?)schema["properties"]!["protocol"]!["description"], Does.EndWith("tiny: Tiny greeting protocol."));
            Assert.That(Strings(branch["protocol"]!["enum"]), Is.EqualTo(new[] { "tiny" }));
            Assert.That((string?)branch["id"]!["pattern"], Is.EqualTo("^tiny/"));
            Assert.That(Strings(branch["endpoint"]!["enum"]), Is.EqualTo(new[] { "main" }));
            Assert.That((string?)branch["endpoint"]!["description"], Does.EndWith("main: /main, where the tiny mock greets."));
            Assert.That(Strings(branch["rules"]!["items"]!["enum"]), Is.EqualTo(new[] { "tiny.greet.reply" }));
            Assert.That(Strings(branch["requires"]!["items"]!["enum"]), Is.EqualTo(new[] { "wave" }));
            Assert.That((string?)branch["requires"]!["description"], Is.EqualTo("tiny client features: wave (the client waves back)."));
            Assert.That(Strings(branch["withhold"]!["items"]!["enum"]), Is.EqualTo(ClientVariables.Engine.Append("TINY_TOKEN")));
            Assert.That((string?)branch["withhold"]!["description"], Does.EndWith("TINY_TOKEN (the token the tiny mock accepts)."));
            Assert.That((string?)branch["mock"]!["$ref"], Is.EqualTo("#/definitions/tinyMock"));
            Assert.That(
                (string?)branch["steps"]!["items"]!["properties"]!["send"]!["properties"]!["template"]!["$ref"],
                Is.EqualTo("#/definitions/tinyTemplate"));
            Assert.That(definitions["tinyTemplate"]!.ToJsonString(), Is.EqualTo(Json("""{"description":"greeting: {\"op\":\"greeting\"}.","enum":["greeting"]}""")));
            var options = definitions["tinyMock"]!["properties"]!.AsObject();
            Assert.That(
                options["greetDelay"]!.ToJsonString(),
                Is.EqualTo(Json("""{"description":"How long the tiny mock waits before greeting. Default: 250ms.","$ref":"#/definitions/duration","default":"250ms"}""")));
            Assert.That(
                options.Select(o => $"{o.Key} {o.Value!["$ref"]}"),
                Is.EqualTo(new[] { "greetDelay #/definitions/duration", "wireFaults #/definitions/wsFaults", "udpFaults #/definitions/udpFaults", "chaos #/definitions/chaos" }),
                "every mock also has the host's fault options");
        }
    }

    [TestCase("", "")]
    [TestCase("endpoint: side", "NotInEnumeration: #/endpoint")]
    [TestCase("id: listenmoe/greet/reply", "PatternMismatch: #/id")]
    [TestCase("rules: [tiny.greet.other]", "NotInEnumeration: #/rules[0]")]
    [TestCase("requires: [dance]", "NotInEnumeration: #/requires[0]")]
    [TestCase("withhold: [CONFORMANCE_TOKEN]", "NotInEnumeration: #/withhold[0]")]
    [TestCase("mock: { greetDelay: soon }", "NoTypeValidates: #/mock.greetDelay")]
    [TestCase("mock: { greetDelai: 1s }", "NoAdditionalPropertiesAllowed: #/mock.greetDelai")]
    [TestCase("steps: [ { send: { template: hello } } ]", "NotInEnumeration: #/steps[0].send.template")]
    public async Task Build_ProtocolTheHarnessDoesNotShip_ItsSchemaAndTheLoaderAgreeOnAScenario(string change, string expectedError)
    {
        // Given the schema built with the tiny protocol, and a tiny scenario with one key replaced (or none)
        var schema = await JsonSchema.FromJsonAsync(ScenarioSchema.Build([.. ProtocolRegistry.All, new TinyModule()], _tinySpecs).ToJsonString());
        var yaml = Replace(TinyScenario, change);

        // When the schema and the loader (which knows the tiny protocol from its specs folder) check it
        var schemaErrors = string.Join(Environment.NewLine, schema.Validate(ScenarioJson.FromYaml(yaml)));
        var (_, loaderErrors) = new ScenarioLoader(_tinySpecs).Load("tiny.yaml", yaml);

        // Then both accept the scenario as written, and both reject each change, the schema at the key that changed
        TestContext.Out.WriteLine(schemaErrors);
        using (Assert.EnterMultipleScope())
        {
            if (expectedError.Length == 0)
            {
                Assert.That(schemaErrors, Is.Empty);
                Assert.That(loaderErrors.Select(e => e.ToString()), Is.Empty);
            }
            else
            {
                Assert.That(schemaErrors, Does.Contain(expectedError));
                Assert.That(loaderErrors, Is.Not.Empty);
            }
        }
    }

    [Test]
    public void Build_ModuleWithAnUndescribedEndpoint_SaysWhich()
    {
        // Given a module with an endpoint its description leaves out
        var module = new TinyModule { Endpoints = ["main", "side"] };

        // When the schema is built / Then it refuses, naming the endpoint
        Assert.That(
            () => ScenarioSchema.Build([module], _tinySpecs),
            Throws.InvalidOperationException.With.Message.Contains("endpoint 'side'"));
    }

    [Test]
    public void Build_ModuleDescribingAnEndpointItDoesNotHave_SaysWhich()
    {
        // Given a module whose description names an endpoint it no longer has
        var module = new TinyModule { Endpoints = [] };

        // When the schema is built / Then it refuses, naming the endpoint
        Assert.That(
            () => ScenarioSchema.Build([module], _tinySpecs),
            Throws.InvalidOperationException.With.Message.Contains("endpoint 'main' it does not have"));
    }

    [TestCase(typeof(UndescribedOptions), "UndescribedOptions.Count has no [Description]")]
    [TestCase(typeof(ListOptions), "ListOptions.Names is a List`1")]
    public void Build_OptionTheSchemaCannotDescribe_SaysWhich(Type optionsType, string expected)
    {
        // Given a module with an option that has no description, or a type the binder cannot read
        var module = new TinyModule { OptionsType = optionsType };

        // When the schema is built / Then it refuses, naming the option
        Assert.That(() => ScenarioSchema.Build([module], _tinySpecs), Throws.InvalidOperationException.With.Message.Contains(expected));
    }

    [Test]
    public void BaseSchema_NamesNoProtocol()
    {
        // Given the hand-written base of the schema
        var text = File.ReadAllText(Path.Combine(RepoFiles.Root, "harness", "Conformance.Harness", "Scenarios", "Schema", "scenario.base.schema.json"));

        // When it is searched for the built-in protocols' ids and titles
        var named = ProtocolRegistry.All.SelectMany(m => new[] { m.Id, m.Description.Title })
            .Where(name => text.Contains(name, StringComparison.OrdinalIgnoreCase));

        // Then none is there: every protocol fact comes from its module
        Assert.That(named, Is.Empty);
    }

    [Test]
    public void Schema_Protocols_AreThoseTheRegistryKnows()
    {
        // Given the protocol enum of the schema and its top-level anyOf
        var names = Strings(_schemaJson["properties"]!["protocol"]!["enum"]);
        var branches = _schemaJson["anyOf"]!.AsArray().Select(b => (string)b!["$ref"]!);

        // When compared with the registry
        // Then they list the same protocols, each with its branch
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EquivalentTo(ProtocolRegistry.Ids));
            Assert.That(branches, Is.EquivalentTo(ProtocolRegistry.Ids.Select(id => $"#/definitions/{id}")));
        }
    }

    [TestCaseSource(nameof(Protocols))]
    public void Schema_ProtocolBranch_OffersWhatTheLoaderAccepts(string protocol)
    {
        // Given one scenario per endpoint the protocol's branch offers, using every rule, client feature, client variable
        // and template it offers
        var branch = _schemaJson["definitions"]![protocol]!["properties"]!;
        var templates = Strings(_schemaJson["definitions"]![$"{protocol}Template"]!["enum"]);
        var scenarios = Strings(branch["endpoint"]!["enum"]).Select(endpoint => $"""
            id: {protocol}/schema/offered
            protocol: {protocol}
            rules: [{string.Join(", ", Strings(branch["rules"]!["items"]!["enum"]))}]
            endpoint: {endpoint}
            requires: [{string.Join(", ", branch["requires"]!["items"] is { } requires ? Strings(requires["enum"]) : [])}]
            withhold: [{string.Join(", ", Strings(branch["withhold"]!["items"]!["enum"]))}]
            steps:
            {string.Join("\n", templates.Select(t => $"  - send: {{ template: {t} }}"))}
            """).ToList();

        // When the loader and the schema read them
        var loaderErrors = scenarios.SelectMany(yaml => new ScenarioLoader(Specs.Default).Load("offered.yaml", yaml).Errors).Select(e => e.ToString());
        var schemaErrors = scenarios.SelectMany(yaml => _schema.Validate(ScenarioJson.FromYaml(yaml))).Select(e => e.ToString());

        // Then neither finds anything wrong
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scenarios, Is.Not.Empty);
            Assert.That(templates, Is.Not.Empty);
            Assert.That(loaderErrors, Is.Empty);
            Assert.That(schemaErrors, Is.Empty);
        }
    }

    [TestCaseSource(nameof(Protocols))]
    public void Schema_MockOptions_AcceptExactlyTheValuesTheLoaderAccepts(string protocol)
    {
        // Given each mock option the protocol's schema offers, and one it does not, with each probe value
        var options = _schemaJson["definitions"]![$"{protocol}Mock"]!["properties"]!.AsObject().Select(o => o.Key).Append("notAnOption");
        var rule = Specs.Default.Rules(protocol).All.First().Id;

        // When the loader and the schema read a scenario setting the option to the value
        var disagreements = new List<string>();
        foreach (var option in options)
        {
            foreach (var value in Probes)
            {
                var yaml = $"id: {protocol}/schema/probe\nprotocol: {protocol}\nrules: [{rule}]\nmock:\n  {option}: {value}\nsteps:\n  - wait: 1s";
                var loaderErrors = new ScenarioLoader(Specs.Default).Load("probe.yaml", yaml).Errors;
                var schemaErrors = _schema.Validate(ScenarioJson.FromYaml(yaml));
                if (loaderErrors.Count == 0 != (schemaErrors.Count == 0))
                {
                    disagreements.Add($"{option}: {value} (loader: {(loaderErrors.Count == 0 ? "accepts" : loaderErrors[0].Message)}; " +
                        $"schema: {(schemaErrors.Count == 0 ? "accepts" : string.Join(", ", schemaErrors))})");
                }
            }
        }

        // Then they agree on every one
        Assert.That(disagreements, Is.Empty);
    }

    private static string Replace(string yaml, string change)
    {
        if (change.Length == 0)
        {
            return yaml;
        }

        var key = change[..change.IndexOf(':', StringComparison.Ordinal)];
        var lines = yaml.Split('\n').ToList();
        var at = lines.FindIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));

        // A key's block is its line and the indented lines after it.
        var end = at + 1;
        while (end < lines.Count && lines[end].StartsWith(' '))
        {
            end++;
        }

        lines.RemoveRange(at, end - at);
        lines.Insert(at, change);
        return string.Join('\n', lines);
    }

    /// <summary>JSON text written the way <see cref="JsonNode.ToJsonString"/> writes it, for comparing.</summary>
    private static string Json(string text) => JsonNode.Parse(text)!.ToJsonString();

    private static List<string> Strings(JsonNode? node) => [.. node!.AsArray().Select(n => (string)n!)];

    private static IEnumerable<TestCaseData> Protocols() => ProtocolRegistry.Ids.Select(id => new TestCaseData(id).SetArgDisplayNames(id));
}
