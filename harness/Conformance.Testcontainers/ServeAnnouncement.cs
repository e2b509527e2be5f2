namespace Conformance.Testcontainers;

/// <summary>
/// What <c>conformance serve</c> prints before it serves: <c>&lt;name&gt; &lt;url&gt;</c> per endpoint, <c>http &lt;url&gt;</c>,
/// then <c>ready</c>. The URLs are as the mock sees them from inside the container.
/// </summary>
internal sealed record ServeAnnouncement(IReadOnlyDictionary<string, Uri> Endpoints, Uri HttpUrl)
{
    /// <summary>Reads the announcement from serve's output so far; false until the <c>ready</c> line has been printed.</summary>
    public static bool TryParse(string output, out ServeAnnouncement? announcement)
    {
        announcement = null;
        var endpoints = new Dictionary<string, Uri>(StringComparer.Ordinal);
        Uri? http = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line == "ready")
            {
                if (http is null)
                {
                    return false;
                }

                announcement = new ServeAnnouncement(endpoints, http);
                return true;
            }

            // Anything else on stdout (there is nothing else today) is not part of the announcement.
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !Uri.TryCreate(line[(space + 1)..], UriKind.Absolute, out var url))
            {
                continue;
            }

            var name = line[..space];
            if (name == "http")
            {
                http = url;
            }
            else
            {
                endpoints[name] = url;
            }
        }

        return false;
    }
}
