using System.Text;
using Conformance.Harness.Running;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// Verify-style snapshot files: <c>&lt;id&gt;.verified.txt</c> is committed; a run that differs writes
/// <c>&lt;id&gt;.received.txt</c> beside it and reports a unified diff; accepting overwrites the verified file.
/// Scenario ids contain '/', so snapshots sit in folders named like the id.
/// </summary>
public sealed class SnapshotStore(string directory)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string VerifiedPath(string id) => OutputPaths.Under(directory, id + ".verified.txt");

    public string ReceivedPath(string id) => OutputPaths.Under(directory, id + ".received.txt");

    public SnapshotOutcome Verify(string id, string received, bool accept)
    {
        var verifiedPath = VerifiedPath(id);
        var receivedPath = ReceivedPath(id);
        var verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (verified == received)
        {
            File.Delete(receivedPath);
            return new SnapshotOutcome(true, verifiedPath, null, "", Accepted: false);
        }

        var diff = UnifiedDiff(verified ?? "", received, verifiedPath, receivedPath);
        Directory.CreateDirectory(Path.GetDirectoryName(verifiedPath)!);
        if (accept)
        {
            File.WriteAllText(verifiedPath, received, Utf8);
            File.Delete(receivedPath);
            return new SnapshotOutcome(true, verifiedPath, null, diff, Accepted: true);
        }

        File.WriteAllText(receivedPath, received, Utf8);
        var header = verified is null ? $"no verified snapshot yet; accept {receivedPath} to create it\n" : "";
        return new SnapshotOutcome(false, verifiedPath, receivedPath, header + diff, Accepted: false);
    }

    /// <summary>A unified diff with three lines of context around each change.</summary>
    public static string UnifiedDiff(string before, string after, string beforeName, string afterName)
    {
        var lines = new InlineDiffBuilder(new Differ()).BuildDiffModel(before, after, ignoreWhitespace: false).Lines;
        var changed = lines.Select((l, i) => (l, i)).Where(x => x.l.Type != ChangeType.Unchanged).Select(x => x.i).ToList();
        var text = new StringBuilder().Append("--- ").AppendLine(beforeName).Append("+++ ").AppendLine(afterName);
        var shown = -1;
        foreach (var index in changed)
        {
            var from = Math.Max(shown + 1, index - 3);
            if (from > shown + 1 || shown < 0)
            {
                text.AppendLine("@@");
            }

            for (var i = from; i <= Math.Min(lines.Count - 1, index + 3); i++)
            {
                if (i <= shown)
                {
                    continue;
                }

                var prefix = lines[i].Type switch { ChangeType.Inserted => "+", ChangeType.Deleted => "-", _ => " " };
                text.Append(prefix).AppendLine(lines[i].Text);
                shown = i;
            }
        }

        return text.ToString();
    }
}
