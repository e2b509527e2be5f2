namespace Conformance.Harness.Reports;

/// <summary>
/// Where each file of a report folder lies, relative to it, with forward slashes. A report of one client keeps its
/// transcripts at <c>transcripts/&lt;id&gt;.json</c> and its pages at <c>scenarios/&lt;id&gt;.html</c>; a report that merges
/// several clients puts each client's under <c>client-&lt;n&gt;/</c> (n counts the clients in their order in the report),
/// since the same scenario ran once per client.
/// </summary>
public sealed class ReportLayout
{
    private readonly Dictionary<string, int> _slots;

    public ReportLayout(IEnumerable<ScenarioReport> entries)
        : this(entries.Select(e => e.Client))
    {
    }

    public ReportLayout(IEnumerable<string> clients)
    {
        Clients = [.. clients.Distinct(StringComparer.Ordinal)];
        _slots = Clients.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i + 1, StringComparer.Ordinal);
    }

    /// <summary>The clients of the report, in their order of first appearance.</summary>
    public IReadOnlyList<string> Clients { get; }

    public string Transcript(string client, string id) => Under("transcripts", client, id + ".json");

    public string Page(string client, string id) => Under("scenarios", client, id + ".html");

    /// <summary>The path back to the report's root from a file at <paramref name="relative"/>: <c>../</c> per folder.</summary>
    public static string ToRoot(string relative) => string.Concat(Enumerable.Repeat("../", relative.Count(c => c == '/')));

    private string Under(string folder, string client, string name) =>
        Clients.Count > 1 ? $"{folder}/client-{_slots[client]}/{name}" : $"{folder}/{name}";
}
