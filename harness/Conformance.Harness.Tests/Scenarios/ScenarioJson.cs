using Conformance.Harness.Scenarios;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary>Scenario YAML as the JSON the schema tests hand NJsonSchema.</summary>
internal static class ScenarioJson
{
    /// <summary>The first document as JSON text, its plain scalars typed the way the loader types them.</summary>
    public static string FromYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode.ToJson()?.ToJsonString() ?? "null";
    }
}
