using System.Text.Json.Nodes;
using Conformance.Harness.Scenarios;
using NJsonSchema;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary>
/// <c>specs/scenario.schema.json</c> against the loader: the built-in suites pass both, structural problems in the
/// malformed corpus fail both, and what the schema lists (keys, step kinds, stub settings) the loader knows. The
/// per-protocol parts are tested in <see cref="ProtocolSchemaTests"/>.
/// </summary>
[TestFixture]
public sealed class SchemaTests
{
    /// <summary>
    /// Corpus files whose problem is in the file's shape, which the schema sees as well as the loader, with the
    /// place (a JSON pointer in NJsonSchema's notation) where the schema must report it.
    /// </summary>
    private static readonly Dictionary<string, string> Structural = new(StringComparer.Ordinal)
    {
        ["bad-capture-path"] = "PatternMismatch: #/steps[0].expect.capture.songId",
        ["bad-id-format"] = "PatternMismatch: #/id",
        ["bad-timeout"] = "NoTypeValidates: #/timeout",
        ["close-code-out-of-range"] = "NumberTooSmall: #/steps[1].close.code",
        ["count-zero"] = "NumberTooSmall: #/steps[0].expect.count",
        ["expect-http-unknown-method"] = "PatternMismatch: #/steps[0].expect_http.method",
        ["mock-option-null-string"] = "NoTypeValidates: #/mock.origin",
        ["mock-option-out-of-range"] = "NumberTooSmall: #/mock.chatBurst",
        ["mock-option-list-for-optional-duration"] = "NoTypeValidates: #/mock.trackChangeInterval",
        ["stub-absent-false"] = "NotInEnumeration: #/stubs[0].request.headers.Cookie.absent",
        ["stub-response-not-mapping"] = "ObjectExpected: #/stubs[0].response",
        ["drop-with-settings"] = "NoAdditionalPropertiesAllowed: #/steps[1].drop.code",
        ["expect-binary-false"] = "NotInEnumeration: #/steps[0].expect.binary",
        ["expect-http-without-path"] = "PropertyRequired: #/steps[0].expect_http.path",
        ["header-value-not-text"] = "StringExpected: #/steps[0].expect_connect.headers.Origin",
        ["empty-steps"] = "TooFewItems: #/steps",
        ["expect-output-bad-stream"] = "NotInEnumeration: #/steps[0].expect_output.stream",
        ["expect-silence-without-for"] = "PropertyRequired: #/steps[0].expect_silence.for",
        ["expect-without-matcher"] = "NotOneOf: #/steps[0].expect",
        ["id-without-protocol-prefix"] = "PatternMismatch: #/id",
        ["invalid-base64"] = "PatternMismatch: #/steps[1].send.binary",
        ["missing-id"] = "PropertyRequired: #/id",
        ["missing-protocol"] = "PropertyRequired: #/protocol",
        ["missing-rules"] = "PropertyRequired: #/rules",
        ["missing-steps"] = "PropertyRequired: #/steps",
        ["mock-option-wrong-type"] = "NoTypeValidates: #/mock.heartbeatInterval",
        ["plugdj-unknown-mock-option"] = "NoAdditionalPropertiesAllowed: #/mock.keepAliveAftr",
        ["root-is-list"] = "ObjectExpected: #/",
        ["rules-empty-list"] = "TooFewItems: #/rules",
        ["rules-not-a-list"] = "ArrayExpected: #/rules",
        ["send-json-and-text"] = "NotOneOf: #/steps[1].send",
        ["send-templates-unknown-template"] = "NotInEnumeration: #/steps[1].send.templates[1]",
        ["send-with-nothing"] = "NotOneOf: #/steps[1].send",
        ["step-with-two-keys"] = "TooManyProperties: #/steps[0]",
        ["stub-json-body-and-body"] = "ExcludedSchemaValidates: #/stubs[0].response",
        ["stub-status-out-of-range"] = "NumberTooBig: #/stubs[0].response.status",
        ["stub-unknown-matcher"] = "NoAdditionalPropertiesAllowed: #/stubs[0].request.headers.Cookie.contians",
        ["stub-url-and-url-path"] = "ExcludedSchemaValidates: #/stubs[0].request",
        ["stub-matcher-two-kinds"] = "NotOneOf: #/stubs[0].request.headers.Accept",
        ["stub-transformers-unknown"] = "NotInEnumeration: #/stubs[0].response.transformers[0]",
        ["stub-delay-lognormal"] = "NotInEnumeration: #/stubs[0].response.delayDistribution.type",
        ["stub-without-request"] = "PropertyRequired: #/stubs[0].request",
        ["unknown-endpoint"] = "NotInEnumeration: #/endpoint",
        ["unknown-mock-option"] = "NoAdditionalPropertiesAllowed: #/mock.heartbeatIntervall",
        ["unknown-protocol"] = "NotInEnumeration: #/protocol",
        ["unknown-rule"] = "NotInEnumeration: #/rules[0]",
        ["unknown-step-kind"] = "NoAdditionalPropertiesAllowed: #/steps[0].expect_conect",
        ["unknown-template"] = "NotInEnumeration: #/steps[1].send.template",
        ["unknown-top-level-key"] = "NoAdditionalPropertiesAllowed: #/descripton",
        ["unknown-top-level-key-transposed"] = "NoAdditionalPropertiesAllowed: #/titel",
        ["with-without-template"] = "NotAnyOf: #/steps[1].send",
        ["unknown-client-feature"] = "NotInEnumeration: #/requires[0]",
        ["client-feature-of-another-protocol"] = "NotInEnumeration: #/requires[1]",
        ["requires-not-a-list"] = "ArrayExpected: #/requires",
        ["requires-listed-twice"] = "ItemsNotUnique: #/requires",
        ["unknown-withheld-variable"] = "NotInEnumeration: #/withhold[0]",
        ["withheld-variable-of-another-protocol"] = "NotInEnumeration: #/withhold[0]",
        ["on-for-step-without-channel"] = "NoAdditionalPropertiesAllowed: #/steps[1].expect_output.on",
        ["on-zero"] = "NumberTooSmall: #/steps[1].send.on",
        ["rule-on-action"] = "NoAdditionalPropertiesAllowed: #/steps[1].send.rule",
        ["refuse-without-status"] = "PropertyRequired: #/steps[0].refuse.status",
        ["expect-none-without-matcher"] = "NotOneOf: #/steps[1].expect_none",
        ["stub-priority-zero"] = "NumberTooSmall: #/stubs[0].priority",
        ["stub-priority-not-integer"] = "IntegerExpected: #/stubs[0].priority",
        ["stub-unknown-fault"] = "NotInEnumeration: #/stubs[0].response.fault",
        ["stub-delay-distribution-without-type"] = "PropertyRequired: #/stubs[0].response.delayDistribution.type",
        ["stub-transformers-not-a-list"] = "ArrayExpected: #/stubs[0].response.transformers",
        ["stub-equal-to-json-on-query-parameter"] = "ExcludedSchemaValidates: #/stubs[0].request.queryParameters.filter",
        ["stub-ignore-extra-elements-not-boolean"] = "BooleanExpected: #/stubs[0].request.bodyPatterns[0].ignoreExtraElements",
        ["stub-cookies-not-a-mapping"] = "ObjectExpected: #/stubs[0].request.cookies",
        ["stub-json-body-and-base64-body"] = "ExcludedSchemaValidates: #/stubs[0].response",
        ["stub-unknown-key-reponse"] = "NoAdditionalPropertiesAllowed: #/stubs[0].reponse",
        ["stub-body-is-a-mapping"] = "NoTypeValidates: #/stubs[0].response.body",
        ["stub-fixed-delay-with-unit"] = "IntegerExpected: #/stubs[0].response.fixedDelayMilliseconds",
        ["stub-body-patterns-not-a-list"] = "ArrayExpected: #/stubs[0].request.bodyPatterns",
        ["send-datagram-hex-and-text"] = "NotOneOf: #/steps[2].send_datagram",
        ["send-datagram-odd-hex"] = "PatternMismatch: #/steps[2].send_datagram.hex",
        ["expect-datagram-from-host"] = "NotInEnumeration: #/steps[1].expect_datagram.from",
        ["expect-datagram-count-range"] = "IntegerExpected: #/steps[1].expect_datagram.count",
        ["udp-faults-loss-as-percent"] = "NumberTooBig: #/steps[0].udp_faults.loss",
        ["udp-faults-with-on"] = "NoAdditionalPropertiesAllowed: #/steps[0].udp_faults.on",
        ["udp-faults-seed-not-integer"] = "IntegerExpected: #/steps[0].udp_faults.seed",
        ["ws-fault-two-faults"] = "NotOneOf: #/steps[0].ws_fault",
        ["wait-exit-with-at-most"] = "NotOneOf: #/steps[0].wait",
        ["wait-quiet-without-at-most"] = "NotOneOf: #/steps[0].wait",
        ["ws-fault-control-opcode"] = "ExcludedSchemaValidates: #/steps[0].ws_fault.opcode",
        ["chaos-schedule-bad-action"] = "NotInEnumeration: #/steps[0].chaos.schedule[0].action",
        ["chaos-probability-above-one"] = "NumberTooBig: #/steps[0].chaos.duplicate",
        ["mock-chaos-probability-over-one"] = "NumberTooBig: #/mock.chaos.drop",
        ["mock-wire-faults-unknown-key"] = "NoAdditionalPropertiesAllowed: #/mock.wireFaults.fragments",
        ["refuse-times-zero"] = "NumberTooSmall: #/steps[2].refuse.times",
        ["refuse-headers-as-list"] = "ObjectExpected: #/steps[0].refuse.headers",
        ["refuse-status-as-text"] = "IntegerExpected: #/steps[0].refuse.status",
        ["expect-none-json-and-regex"] = "NotOneOf: #/steps[2].expect_none",
        ["expect-none-for-negative"] = "NoTypeValidates: #/steps[2].expect_none.for",
        ["expect-alive-with-within"] = "NoAdditionalPropertiesAllowed: #/steps[2].expect_alive.within",
        ["within-negative"] = "NoTypeValidates: #/steps[1].expect.within",
        ["wait-in-hours"] = "NoTypeValidates: #/steps[2].wait",
        ["on-list-of-connections"] = "NoTypeValidates: #/steps[2].send.on",
        ["as-empty"] = "StringExpected: #/steps[0].expect_connect.as",
        ["capture-as-list"] = "ObjectExpected: #/steps[1].expect.capture",
        ["withhold-without-prefix"] = "NotInEnumeration: #/withhold[0]",
        ["nightingale-unknown-template"] = "NotInEnumeration: #/steps[1].send.template",
        ["discodo-mock-option-misspelt"] = "NoAdditionalPropertiesAllowed: #/mock.voiceChannel",
        ["discodo-mock-option-list-for-text"] = "NoTypeValidates: #/mock.voiceChannels",
        ["discodo-mock-option-close-code-text"] = "NoTypeValidates: #/mock.forbiddenCloseCode",
        ["nightingale-mock-option-misspelt"] = "NoAdditionalPropertiesAllowed: #/mock.takenResume",
        ["nightingale-mock-option-shards-zero"] = "NumberTooSmall: #/mock.shards",
        ["podcast-mock-option-misspelt"] = "NoAdditionalPropertiesAllowed: #/mock.simulatedListener",
        ["podcast-mock-option-yes-for-boolean"] = "BooleanExpected: #/mock.sendSecret",
        ["podcast-mock-option-id-out-of-range"] = "NumberTooSmall: #/mock.podcastId",
        ["expect-reconnects-without-times"] = "PropertyRequired: #/steps[2].expect_reconnects.times",
        ["expect-reconnects-storm-without-bound"] = "NotAnyOf: #/steps[2].expect_reconnects.storm",
        ["expect-reconnects-grows-yes"] = "BooleanExpected: #/steps[2].expect_reconnects.backoff.grows",
        ["nightingale-mock-option-unknown-dialect"] = "NotInEnumeration: #/mock.dialect",
        ["discodo-mock-option-unknown-resumed-form"] = "NotInEnumeration: #/mock.resumedForm",
        ["podcast-mock-option-envelope-misspelt"] = "NotInEnumeration: #/mock.envelope",
        ["listenmoe-profile-unknown"] = "NotInEnumeration: #/profile",
        ["plugdj-profile-misspelt"] = "NotInEnumeration: #/profile",
        ["scripted-not-boolean"] = "BooleanExpected: #/scripted",
    };

    /// <summary>
    /// Corpus files whose problem only the loader can see: cross-references between steps or settings (an 'on:' name given
    /// by no earlier 'as:'), .NET regex syntax, and values the schema does not constrain (the order of a range's bounds, a
    /// stub's base64 body, a datagram check or template name, a client feature of a protocol that has none, an endpoint a
    /// protocol opens at run time).
    /// </summary>
    private static readonly string[] SemanticOnly =
        ["stub-case-insensitive-with-contains", "expectation-without-rule", "invalid-regex", "rule-not-listed", "two-documents", "variable-not-captured", "expect-is-unknown-type",
         "path-pattern-partial-segment", "variable-in-path-not-captured", "capture-used-in-same-step", "stub-url-pattern-invalid-regex",
         "ws-faults-ping-without-fragment", "chaos-schedule-with-drop", "ws-fault-oversize-too-big", "chaos-schedule-delay-on-drop",
         "stub-delay-lower-above-upper", "stub-required-state-without-scenario-name", "stub-base64-body-not-base64", "udp-faults-delay-reversed",
         "expect-datagram-size-reversed", "expect-datagram-unknown-check", "send-datagram-unknown-template", "requires-feature-protocol-has-none",
         "expect-reconnects-rule-not-listed", "expect-reconnects-per-without-limit",
         "on-name-misspelt", "on-as-name-of-a-later-step", "podcast-on-unknown-udp-endpoint", "podcast-udp-faults-unknown-endpoint"];

    /// <summary>Corpus files that are not a YAML document at all, so there is nothing to hand the schema.</summary>
    private static readonly string[] NotYaml =
        ["complex-mapping-key", "empty-file", "yaml-bad-indentation", "yaml-duplicate-key", "yaml-tab-indentation", "yaml-unclosed-bracket",
         "yaml-unclosed-list-before-more-keys"];

    /// <summary>
    /// Per protocol, a scenario using every setting the loader accepts: step kinds, stub fields and matcher kinds, the
    /// protocol's mock options and templates.
    /// </summary>
    private static readonly Dictionary<string, string> EverySetting = new(StringComparer.Ordinal)
    {
        ["listenmoe"] = """
            id: listenmoe/schema/every-setting
            protocol: listenmoe
            title: Every setting the loader accepts
            description: >
              Folded text, as the built-in suites write long descriptions.
            rules: [listenmoe.connect.endpoint, listenmoe.track.refresh]
            endpoint: kpop
            timeout: 45000
            requires: [track-request]
            withhold: [CONFORMANCE_URL, CONFORMANCE_HTTP_URL, CONFORMANCE_PROTOCOL, CONFORMANCE_SCENARIO]
            mock:
              heartbeatInterval: 300
              welcomeMessage: 42
              sendWelcome: true
              welcomeDelay: 1.5s
              ackHeartbeats: false
              ackDelay: 10 ms
              sendTrackOnConnect: true
              answerTrackRequests: true
              trackChangeInterval: null
              seed: 7
              wireFaults: { fragment: [2, 1], ping_between: true, dribble: 1ms }
              udpFaults: { loss: 0.1 }
              chaos: { reorder: 0.1, seed: 3 }
            steps:
              - expect_connect: { path: /kpop/gateway_v2, headers: { User-Agent: test, X-Count: 3 }, query: { shards: 1 }, within: 15s, rule: listenmoe.connect.endpoint }
              - expect: { json: { op: 2 }, within: 2s, count: 2, capture: { songId: $.d.song.id, first: "$.d.lastPlayed[0]" }, rule: listenmoe.track.refresh }
              - expect: { regex: '"op":\s*9', rule: listenmoe.track.refresh }
              - expect: { text: ping, rule: listenmoe.track.refresh }
              - expect: { binary: true, rule: listenmoe.track.refresh }
              - send: { json: { op: 1, d: { song: { id: "${songId}" } } }, fragment: 3 }
              - send: { text: "song ${songId}" }
              - send: { text: }
              - send: { binary: "AAEC/w==" }
              - send: { template: track_update, with: { d: { requester: null } } }
              - send: { template: welcome }
              - wait: 500
              - expect_silence: { for: 300ms, ignore: heartbeats, rule: listenmoe.track.refresh }
              - expect_alive: { for: 1m, rule: listenmoe.track.refresh }
              - expect_output: { regex: "now playing", stream: stderr, within: 1s, rule: listenmoe.track.refresh }
              - close: { code: 4001, reason: heartbeat missed }
              - close: {}
              - drop:
              - expect_close: { code: 1000, within: 1s, rule: listenmoe.track.refresh }
              - expect_reconnects: { times: 3, within: 10s, path: /kpop/gateway_v2, storm: { min: 100ms, limit: 5, per: 1s, rule: listenmoe.track.refresh }, backoff: { grows: true, max: 5s, rule: listenmoe.connect.endpoint }, rule: listenmoe.connect.endpoint }
            """,
        ["plugdj"] = """
            id: plugdj/schema/every-setting
            protocol: plugdj
            title: Every setting the loader accepts
            rules: [plugdj.auth.token, plugdj.events.tolerate]
            endpoint: socket
            timeout: 1m
            requires: [rest-login, chat]
            withhold: [CONFORMANCE_TOKEN, CONFORMANCE_EMAIL, CONFORMANCE_PASSWORD, CONFORMANCE_ROOM]
            mock:
              origin: https://example.test
              requireOrigin: false
              authDeadline: 2s
              authTimeoutCode: 4001
              numericAck: true
              keepAliveAfter: 150
              silenceAfter: null
              chatRefill: 1.5s
              echoChat: false
              room: chillout
              email: dj@conformance.test
              password: 12345
              token: static-token
              seed: 7
            stubs:
              - request:
                  method: post
                  urlPath: /_/auth/login
                  queryParameters: { lang: en, v: { equalTo: 2 }, debug: { absent: true } }
                  headers:
                    Content-Type: { contains: json }
                    Cookie: { matches: "session=[a-z0-9]+" }
                    X-Count: 3
                    X-Debug: { equalTo: true }
                  bodyPatterns:
                    - { equalToJson: { email: dj@conformance.test, password: "12345" } }
                    - { equalToJson: '{"email":"dj@conformance.test"}' }
                    - { equalToJson: [1, 2] }
                    - { contains: "12345" }
                    - { matches: '"email":\s*"' }
                    - { equalTo: exact body }
                    - plain body
                response:
                  status: 201
                  headers: { Set-Cookie: session=abc, X-Count: 3, X-Empty: null }
                  jsonBody: { data: [], meta: {}, status: ok, time: 1.5 }
                  fixedDelayMilliseconds: 250
              - request: { method: GET, url: "/_/rooms/state?slug=chillout" }
                response: { status: 404, body: not here, fixedDelayMilliseconds: 0 }
              - request: { method: ANY, urlPathPattern: "^/_/users/[0-9]+$" }
                response: { jsonBody: null }
              - request: { urlPath: /_/auth/token }
                response: { body: 42 }
              - request: { urlPath: /_/auth/session }
            steps:
              - expect_http: { method: post, path: /_/auth/login, status: 201, count: 2, within: 2s, rule: plugdj.auth.token }
              - expect_http: { path: /_/auth/token, rule: plugdj.auth.token }
              - expect_connect: { path: /socket, headers: { Origin: "https://example.test" }, within: 5s, rule: plugdj.auth.token }
              - expect: { json: { a: auth }, capture: { token: $.p }, rule: plugdj.auth.token }
              - send: { templates: [advance, vote, grab], with: { s: chillout } }
              - send: { templates: [killSession] }
              - send: { template: advance, with: { p: { m: "${token}" } } }
              - expect_alive: { for: 1s, rule: plugdj.events.tolerate }
            """,
    };

    private JsonSchema _schema = null!;
    private JsonObject _schemaJson = null!;

    [OneTimeSetUp]
    public async Task LoadSchema()
    {
        _schema = await JsonSchema.FromFileAsync(RepoFiles.SchemaPath);
        _schemaJson = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.SchemaPath))!;
    }

    [Test]
    public void Schema_DeclaresIdTitleAndDraft07()
    {
        // Given the schema file / When its header is read / Then editors and NJsonSchema know what it is
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)_schemaJson["$schema"], Is.EqualTo("http://json-schema.org/draft-07/schema#"));
            Assert.That((string?)_schemaJson["$id"], Is.Not.Empty);
            Assert.That((string?)_schemaJson["title"], Is.Not.Empty);
        }
    }

    [TestCaseSource(nameof(BuiltInScenarios))]
    public void Validate_BuiltInScenario_HasNoSchemaErrors(string path)
    {
        // Given a built-in scenario as JSON
        var json = YamlAsJson(path);

        // When the schema checks it
        var errors = _schema.Validate(json);

        // Then it finds nothing
        Assert.That(errors.Select(e => e.ToString()), Is.Empty);
    }

    [TestCaseSource(nameof(StructuralCases))]
    public void Validate_StructurallyMalformedFile_IsRejectedByTheSchemaToo(string name, string expectedError)
    {
        // Given a corpus file the loader rejects for its shape
        var path = RepoFiles.Malformed(name);
        Assert.That(new ScenarioLoader(Specs.Default).Load(path, File.ReadAllText(path)).Errors, Is.Not.Empty);

        // When the schema checks it
        var errors = _schema.Validate(YamlAsJson(path));

        // Then the schema reports it too, at the same place
        var report = string.Join(Environment.NewLine, errors);
        TestContext.Out.WriteLine(report);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors, Is.Not.Empty);
            Assert.That(report, Does.Contain(expectedError));
        }
    }

    [TestCaseSource(nameof(SemanticOnlyCases))]
    public void Validate_FileWithAProblemOnlyTheLoaderSees_PassesTheSchema(string name)
    {
        // Given a corpus file whose shape is right but whose problem is a reference, .NET regex syntax or a value the schema leaves open
        var path = RepoFiles.Malformed(name);

        // When the schema checks it
        var errors = _schema.Validate(YamlAsJson(path));

        // Then the schema accepts it (it is no stricter than the loader about shape)
        Assert.That(errors.Select(e => e.ToString()), Is.Empty);
    }

    [TestCase("listenmoe")]
    [TestCase("plugdj")]
    public void Validate_EverySettingTheLoaderAccepts_PassesTheSchemaToo(string protocol)
    {
        // Given a scenario using every step kind, stub field, matcher kind and mock option of the protocol, in forms
        // the loader accepts (bare numbers, nulls, units, lower-case methods, matcher shorthand)
        var yaml = EverySetting[protocol];

        // When the loader and the schema check it
        var (_, loaderErrors) = new ScenarioLoader(Specs.Default).Load("every-setting.yaml", yaml);
        var schemaErrors = _schema.Validate(YamlTextAsJson(yaml));

        // Then neither finds a problem
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaderErrors.Select(e => e.ToString()), Is.Empty);
            Assert.That(schemaErrors.Select(e => e.ToString()), Is.Empty);
        }
    }

    [Test]
    public void Corpus_EveryMalformedFile_IsClassifiedForTheSchema()
    {
        // Given the malformed corpus
        var names = RepoFiles.MalformedScenarios().Select(Path.GetFileNameWithoutExtension);

        // When each file is looked up in the lists above
        var unclassified = names.Except(Structural.Keys.Concat(SemanticOnly).Concat(NotYaml), StringComparer.Ordinal);

        // Then a new corpus file cannot skip the schema check unnoticed
        Assert.That(unclassified, Is.Empty);
    }

    [Test]
    public void Schema_TopLevelKeys_AreAllAcceptedByTheLoader()
    {
        // Given a scenario using every top-level key the schema offers
        var keys = Keys(_schemaJson["properties"]);
        var yaml = string.Join("\n", keys.Select(k => $"{k}: x"));

        // When the loader reads it
        var (_, errors) = new ScenarioLoader(Specs.Default).Load("keys.yaml", yaml);

        // Then none of them is an unknown key
        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys, Is.SupersetOf(new[]
            {
                "id", "protocol", "title", "description", "rules", "endpoint", "timeout", "requires", "withhold", "mock", "stubs", "steps",
            }));
            Assert.That(errors.Where(e => e.Message.StartsWith("unknown key", StringComparison.Ordinal)).Select(e => e.ToString()), Is.Empty);
        }
    }

    [Test]
    public void SchemaFile_IsTheGeneratedSchema()
    {
        // Given the schema generated from the base schema, every step kind and every protocol module
        var generated = ScenarioSchema.Generate();

        // When it is compared with the committed file
        var committed = File.ReadAllText(RepoFiles.SchemaPath).Replace("\r\n", "\n", StringComparison.Ordinal);

        // Then they are equal: run 'conformance schema --write specs/scenario.schema.json' after changing a step kind, a
        // protocol module, a rule catalogue or a mock option type
        Assert.That(committed, Is.EqualTo(generated), "specs/scenario.schema.json is stale: run 'conformance schema --write specs/scenario.schema.json'");
    }

    [Test]
    public void Schema_StepKindsAndSettings_AreAllAcceptedByTheLoader()
    {
        // Given one step of each kind the schema offers, each with every setting the schema allows it
        var steps = Definition("step")["properties"]!.AsObject();
        var lines = new List<string>();
        foreach (var (kind, reference) in steps)
        {
            var body = Resolve(reference!);
            var settings = body["properties"] is { } properties ? Keys(properties) : [];
            lines.Add(kind == "wait" ? "  - wait: 1s" : $"  - {kind}: {{ {string.Join(", ", settings.Select(s => $"{s}: x"))} }}");
        }

        var yaml = "id: listenmoe/schema/steps\nprotocol: listenmoe\nrules: [listenmoe.connect.endpoint]\nsteps:\n" + string.Join("\n", lines);

        // When the loader reads it
        var (_, errors) = new ScenarioLoader(Specs.Default).Load("steps.yaml", yaml);

        // Then no step kind and no setting is unknown to the loader
        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps.Select(s => s.Key), Is.EquivalentTo(StepKinds.Names));
            Assert.That(
                errors.Where(e => IsUnknownName(e.Message)).Select(e => e.ToString()),
                Is.Empty,
                yaml);
        }
    }

    [Test]
    public void Schema_StubSettingsAndMatcherKinds_AreAllAcceptedByTheLoader()
    {
        // Given stubs using every request and response setting and every matcher kind the schema offers (a request with
        // all of url, urlPath and urlPathPattern is rejected, but only after its keys are checked)
        var request = Keys(Definition("stubRequest")["properties"]);
        var response = Keys(Definition("stubResponse")["properties"]);
        var matchers = Keys(Definition("matcher")["properties"]);
        var lines = new List<string>
        {
            $"  - request: {{ {string.Join(", ", request.Select(k => $"{k}: x"))} }}",
            $"  - request: {{ urlPath: /a }}\n    response: {{ {string.Join(", ", response.Where(k => k != "body").Select(k => $"{k}: 1"))} }}",
            "  - request: { urlPath: /b }\n    response: { body: x }",
        };
        lines.AddRange(matchers.Select(m => $"  - request: {{ urlPath: /c, headers: {{ H: {{ {m}: x }} }} }}"));
        var yaml = "id: plugdj/schema/stubs\nprotocol: plugdj\nrules: [plugdj.auth.token]\nstubs:\n" + string.Join("\n", lines) +
                   "\nsteps:\n  - wait: 1s";

        // When the loader reads it
        var (_, errors) = new ScenarioLoader(Specs.Default).Load("stubs.yaml", yaml);

        // Then no stub setting and no matcher kind is unknown to the loader
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request, Is.EquivalentTo(new[] { "method", "url", "urlPattern", "urlPath", "urlPathPattern", "queryParameters", "headers", "cookies", "bodyPatterns" }));
            Assert.That(response, Is.EquivalentTo(new[] { "status", "headers", "jsonBody", "body", "base64Body", "fixedDelayMilliseconds", "delayDistribution", "transformers", "fault" }));
            Assert.That(matchers, Is.EquivalentTo(new[] { "equalTo", "contains", "doesNotContain", "matches", "doesNotMatch", "equalToJson", "matchesJsonPath", "matchesXPath", "absent", "caseInsensitive", "ignoreExtraElements" }));
            Assert.That(
                errors.Where(e => IsUnknownName(e.Message)).Select(e => e.ToString()),
                Is.Empty,
                yaml);
        }
    }

    /// <summary>The scenario file as JSON, typed the way the loader types YAML scalars.</summary>
    private static string YamlAsJson(string path) => YamlTextAsJson(File.ReadAllText(path));

    private static string YamlTextAsJson(string yaml) => ScenarioJson.FromYaml(yaml);

    private JsonObject Definition(string name) => _schemaJson["definitions"]![name]!.AsObject();

    private JsonObject Resolve(JsonNode node) =>
        node["$ref"] is { } reference ? Definition(((string)reference!)["#/definitions/".Length..]) : node.AsObject();

    private static List<string> Keys(JsonNode? node) => [.. node!.AsObject().Select(p => p.Key)];

    private static IEnumerable<TestCaseData> BuiltInScenarios() =>
        RepoFiles.BuiltInScenarios().Select(path => new TestCaseData(path).SetArgDisplayNames(RepoFiles.Relative(path)));

    private static IEnumerable<TestCaseData> StructuralCases() =>
        Structural.Select(c => new TestCaseData(c.Key, c.Value).SetArgDisplayNames(c.Key));

    private static IEnumerable<TestCaseData> SemanticOnlyCases() => SemanticOnly.Select(n => new TestCaseData(n).SetArgDisplayNames(n));

    /// <summary>An error about a key, step kind or matcher the loader does not know (not about a value such as a method).</summary>
    /// <summary>An unknown key or step kind; unknown values written as 'x' (a method, an endpoint) are another matter.</summary>
    private static bool IsUnknownName(string message) =>
        message.StartsWith("unknown", StringComparison.Ordinal) && !message.StartsWith("unknown HTTP method", StringComparison.Ordinal) &&
        !message.StartsWith("unknown endpoint", StringComparison.Ordinal);
}
