using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Finds where YAML stops being readable. YamlDotNet's messages point past the problem (at the next key) and some
/// inputs make it throw without a position; walking the events again tells which '[' or '{' was left open.
/// </summary>
internal static class YamlSyntax
{
    public static ScenarioError Explain(string path, string yaml, Exception exception)
    {
        // Every open collection, with the bracket it opened with (' ' for block style).
        var open = new Stack<(ParsingEvent Event, char Bracket)>();
        var last = Mark.Empty;
        try
        {
            var parser = new Parser(new StringReader(yaml));
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                switch (current)
                {
                    case SequenceStart sequence:
                        open.Push((current, sequence.Style == YamlDotNet.Core.Events.SequenceStyle.Flow ? '[' : ' '));
                        break;
                    case MappingStart mapping:
                        open.Push((current, mapping.Style == YamlDotNet.Core.Events.MappingStyle.Flow ? '{' : ' '));
                        break;
                    case SequenceEnd or MappingEnd when open.Count > 0:
                        open.Pop();
                        break;
                    default:
                        break;
                }

                last = current.End;
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // Expected: this walk fails where the load failed.
        }

        if (open.FirstOrDefault(o => o.Bracket != ' ') is { Event: not null } flow)
        {
            var (start, bracket) = flow;
            var closer = bracket == '[' ? ']' : '}';
            return new ScenarioError(start.Start.Mark(path), $"YAML syntax: '{bracket}' is not closed (expected ',' or '{closer}')");
        }

        if (exception is YamlException yamlException)
        {
            return new ScenarioError(yamlException.Start.Mark(path), "YAML syntax: " + Tidy(yamlException.InnerException?.Message ?? yamlException.Message));
        }

        return new ScenarioError(last.Mark(path), "YAML syntax: the file cannot be read past this point");
    }

    private static string Tidy(string message)
    {
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        var text = cut >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(cut + 3)..] : message;
        return string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
    }
}
