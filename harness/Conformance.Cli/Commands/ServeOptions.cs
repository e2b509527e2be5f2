using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Harness.Scenarios;

namespace Conformance.Cli.Commands;

/// <summary>
/// What <c>serve</c> reads from its command line beside the protocol: <c>--option name=value</c> mock settings and the
/// <c>--host</c> address. (A mock bound to every address announces loopback itself: MockHost.)
/// </summary>
internal static class ServeOptions
{
    /// <summary>
    /// Turns <c>name=value</c> arguments into mock settings, checked against <paramref name="optionsType"/> the way a
    /// scenario's <c>mock:</c> block is. A value that starts with <c>[</c> or <c>{</c> is read as JSON (a list of songs,
    /// say); any other value is a scalar, as YAML would give it.
    /// </summary>
    /// <returns>The settings, or the problems found (one message per bad argument, naming it).</returns>
    public static (IReadOnlyList<MockSetting> Settings, IReadOnlyList<string> Errors) ParseMockOptions(
        Type optionsType, IReadOnlyList<string> arguments)
    {
        var settings = new List<MockSetting>();
        var errors = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            var mark = new SourceMark("--option", 1, i + 1);
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add($"--option '{argument}': expected name=value, e.g. heartbeatInterval=250ms");
                continue;
            }

            var name = argument[..equals];
            var value = argument[(equals + 1)..];
            if (value.StartsWith('[') || value.StartsWith('{'))
            {
                try
                {
                    settings.Add(new MockSetting(name, null, JsonNode.Parse(value), mark));
                }
                catch (JsonException e)
                {
                    errors.Add($"--option '{argument}': the value is not valid JSON ({e.Message})");
                }

                continue;
            }

            settings.Add(new MockSetting(name, value, null, mark));
        }

        errors.AddRange(MockOptionBinder.Validate(optionsType, settings)
            .Select(e => $"--option '{arguments[e.Mark.Column - 1]}': {e.Message}"));
        return (settings, errors);
    }

    /// <summary>Reads <c>--host</c>: an IPv4 or IPv6 address (a name would need a lookup and could bind elsewhere).</summary>
    /// <remarks><see cref="IPAddress.TryParse(string, out IPAddress)"/> also takes <c>1</c> as 0.0.0.1; a dot or colon is required.</remarks>
    public static bool TryParseHost(string text, out IPAddress address) =>
        IPAddress.TryParse(text, out address!) && (text.Contains('.', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal));
}
