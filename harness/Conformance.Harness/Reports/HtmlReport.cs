using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Harness.Running;

namespace Conformance.Harness.Reports;

/// <summary>
/// The HTML report: <c>index.html</c>, a matrix of scenarios (rows) by clients (columns) with verdict colours and filters
/// by protocol, rule and verdict, and a page per scenario and client with the broken rules (text and source), a swimlane
/// timeline of every connection, HTTP exchange and UDP datagram, a chart of every heartbeat gap against the advertised
/// period and its tolerance band, the snapshot diff, and the transcript. Everything is inline (styles, the filter
/// script, SVG): the folder opens from disk, offline, and can be published as a CI artifact as it is.
/// </summary>
public static class HtmlReport
{
    /// <summary>The timeline draws at most this many events; a run with more says how many it left out.</summary>
    public const int MaxTimelineEvents = 4000;

    private const int TranscriptRows = 2000;

    public static void Write(string directory, IReadOnlyList<ScenarioReport> entries)
    {
        var layout = new ReportLayout(entries);
        File.WriteAllText(Path.Combine(directory, "index.html"), Index(entries, layout));
        foreach (var entry in entries)
        {
            var page = layout.Page(entry.Client, entry.Id);
            var path = OutputPaths.Under(directory, page);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var transcript = entry.Transcript is { } t && File.Exists(OutputPaths.Under(directory, t))
                ? JsonNode.Parse(File.ReadAllText(OutputPaths.Under(directory, t))) as JsonArray
                : null;
            File.WriteAllText(path, ScenarioPage(entry, transcript, ReportLayout.ToRoot(page)));
        }
    }

    public static string Index(IReadOnlyList<ScenarioReport> entries, ReportLayout layout)
    {
        var html = new StringBuilder();
        Head(html, "Conformance report", "");
        html.Append("<h1>Conformance report</h1>\n<table class=\"tally\"><tr><th>client</th><th>passed</th><th>warned</th><th>failed</th><th>errors</th><th>skipped</th></tr>\n");
        foreach (var client in layout.Clients)
        {
            var own = entries.Where(e => e.Client == client).ToList();
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"client\"><td>{E(client)}</td>");
            foreach (var verdict in new[] { Verdict.Pass, Verdict.Warn, Verdict.Fail, Verdict.Error, Verdict.Skipped })
            {
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"n-{Css(verdict)}\">{own.Count(e => e.Verdict == verdict)}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
        var protocols = entries.Select(e => e.Protocol).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rules = entries.SelectMany(e => e.Rules).Select(r => r.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        html.Append("<form id=\"filters\" onsubmit=\"return false\">\n<label>protocol <select id=\"f-protocol\"><option value=\"\">all</option>");
        foreach (var protocol in protocols)
        {
            html.Append(CultureInfo.InvariantCulture, $"<option>{E(protocol)}</option>");
        }

        html.Append("</select></label>\n<label>rule <input id=\"f-rule\" list=\"rule-ids\" placeholder=\"any rule\" size=\"32\"></label><datalist id=\"rule-ids\">");
        foreach (var rule in rules)
        {
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{E(rule)}\">");
        }

        html.Append("</datalist>\n<label>verdict <select id=\"f-verdict\"><option value=\"\">any</option>");
        foreach (var verdict in new[] { "Pass", "Warn", "Fail", "Error", "Skipped" })
        {
            html.Append(CultureInfo.InvariantCulture, $"<option>{verdict}</option>");
        }

        html.Append("</select></label> <span id=\"shown\"></span>\n</form>\n");
        html.Append("<table id=\"matrix\"><thead><tr><th>scenario</th><th>protocol</th>");
        foreach (var client in layout.Clients)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th class=\"client\">{E(client)}</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        var rows = entries.Select(e => e.Id).Distinct(StringComparer.Ordinal).ToList();
        var byKey = entries.ToDictionary(e => (e.Client, e.Id));
        foreach (var id in rows)
        {
            var cells = layout.Clients.Select(c => byKey.GetValueOrDefault((c, id))).ToList();
            var present = cells.OfType<ScenarioReport>().ToList();
            html.Append(CultureInfo.InvariantCulture, $"<tr data-protocol=\"{E(present[0].Protocol)}\">");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"id\">{E(id)}</td><td>{E(present[0].Protocol)}</td>");
            for (var i = 0; i < cells.Count; i++)
            {
                if (cells[i] is not { } entry)
                {
                    html.Append("<td class=\"cell none\">not run</td>");
                    continue;
                }

                var broken = string.Join(", ", entry.Broken.Select(r => r.Id));
                var judged = string.Join(' ', entry.Rules.Select(r => $"{r.Id}:{r.Verdict}"));
                html.Append(CultureInfo.InvariantCulture,
                    $"<td class=\"cell v-{Css(entry.Verdict)}\" data-verdict=\"{entry.Verdict}\" data-rules=\" {E(judged)} \"><a href=\"{E(layout.Page(entry.Client, id))}\">{entry.Verdict}</a>");
                if (broken.Length > 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<div class=\"broken\">{E(broken)}</div>");
                }

                html.Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody></table>\n<script>\n").Append(FilterScript).Append("</script>\n");
        return html.Append("</body></html>\n").ToString();
    }

    public static string ScenarioPage(ScenarioReport entry, JsonArray? transcript, string root)
    {
        var html = new StringBuilder();
        Head(html, entry.Id, root);
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{root}index.html\">&larr; all scenarios</a></p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(entry.Id)} <span class=\"badge v-{Css(entry.Verdict)}\" id=\"verdict\">{entry.Verdict}</span></h1>\n");
        html.Append("<table class=\"facts\">");
        Fact(html, "client", entry.Client);
        Fact(html, "protocol", entry.Protocol);
        Fact(html, "time", Ms(entry.DurationMs));
        Fact(html, "seed", entry.Seed is { } seed ? $"{seed} (replay with --seed {seed})" : null);
        Fact(html, "shard", entry.Shard);
        Fact(html, "runs", entry.Reruns > 0 ? $"{entry.Reruns + 1} (the machine was too busy to judge timing the first time)" : null);
        Fact(html, "skipped", entry.SkipReason);
        html.Append("</table>\n");

        if (entry.Errors.Count > 0)
        {
            html.Append("<h2>Errors</h2>\n");
            foreach (var error in entry.Errors)
            {
                html.Append(CultureInfo.InvariantCulture, $"<pre class=\"error\">{E(error)}</pre>\n");
            }
        }

        var broken = entry.Broken.ToList();
        if (broken.Count > 0)
        {
            html.Append("<h2>Broken rules</h2>\n");
            foreach (var rule in broken)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"failure v-{Css(rule.Verdict)}\" data-rule=\"{E(rule.Id)}\">");
                html.Append(CultureInfo.InvariantCulture, $"<h3><span class=\"rule-id\">{E(rule.Id)}</span> {E(rule.Level)} &middot; {rule.Verdict}{(rule.Inconclusive ? " (inconclusive)" : "")}</h3>");
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"rule-text\">{E(rule.Text)}</p><p class=\"source\">source: {E(rule.Source)}</p>");
                html.Append("<ul class=\"messages\">");
                foreach (var message in rule.Messages.Where(m => !m.StartsWith("ok: ", StringComparison.Ordinal)))
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li>{E(message)}</li>");
                }

                html.Append("</ul>");
                if (rule.Evidence.Count > 0)
                {
                    html.Append("<p>frames at fault:</p><ul class=\"evidence\">");
                    foreach (var evidence in rule.Evidence.OfType<JsonObject>())
                    {
                        html.Append(CultureInfo.InvariantCulture, $"<li>{E(Describe(evidence))}</li>");
                    }

                    html.Append("</ul>");
                }

                html.Append("</div>\n");
            }
        }

        html.Append("<h2>Rules</h2>\n<table class=\"rules\"><tr><th>rule</th><th>level</th><th>verdict</th><th>findings</th></tr>\n");
        foreach (var rule in entry.Rules)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td title=\"{E(rule.Text + " (" + rule.Source + ")")}\">{E(rule.Id)}</td><td>{E(rule.Level)}</td><td class=\"v-{Css(rule.Verdict)}\">{rule.Verdict}</td><td>{E(string.Join(" / ", rule.Messages))}</td></tr>\n");
        }

        html.Append("</table>\n");

        var series = entry.Rules.SelectMany(r => r.Series.Where(s => s.Gaps.Count > 0).Select(s => (r, s))).ToList();
        if (series.Count > 0)
        {
            html.Append("<h2>Heartbeats</h2>\n");
            foreach (var (rule, timing) in series)
            {
                html.Append(HeartbeatChart(rule.Id, timing));
            }
        }

        if (transcript is not null)
        {
            html.Append("<h2>Timeline</h2>\n");
            var faulty = entry.Broken.SelectMany(r => r.Evidence.OfType<JsonObject>()).Select(e => Index(e)).ToHashSet();
            html.Append(Timeline(transcript, faulty));
        }

        if (entry.Snapshot is { Matched: false } snapshot)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Snapshot diff</h2>\n<p>against {E(snapshot.VerifiedPath)}</p>\n<pre class=\"diff\">");
            foreach (var line in snapshot.Diff.Split('\n'))
            {
                var kind = line.StartsWith('+') ? "add" : line.StartsWith('-') ? "del" : line.StartsWith('@') ? "hunk" : "same";
                html.Append(CultureInfo.InvariantCulture, $"<span class=\"{kind}\">{E(line)}</span>\n");
            }

            html.Append("</pre>\n");
        }

        if (transcript is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<details><summary>Transcript ({transcript.Count} entries)</summary>\n<table class=\"transcript\">");
            foreach (var item in transcript.OfType<JsonObject>().Take(TranscriptRows))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Index(item)}</td><td>{Ms(Time(item))}</td><td>{E(Describe(item))}</td></tr>\n");
            }

            html.Append("</table>");
            if (transcript.Count > TranscriptRows)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>{transcript.Count - TranscriptRows} more entries are in the transcript's JSON file.</p>");
            }

            html.Append("</details>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>
    /// Every gap as a point (<c>circle.gap</c>, with <c>data-at-ms</c> and <c>data-gap-ms</c>) over the advertised period,
    /// the band the median must keep, and the early and missed limits for a single gap.
    /// </summary>
    public static string HeartbeatChart(string rule, TimingReport timing)
    {
        const double width = 900, height = 220, left = 56, right = 16, top = 12, bottom = 28;
        var maxAt = Math.Max(1, timing.Gaps.Max(g => g.AtMs));
        var minAt = timing.Gaps.Min(g => g.AtMs - g.GapMs);
        var limits = timing.Limits;
        var maxGap = new[] { timing.Gaps.Max(g => g.GapMs), timing.AdvertisedMs * 1.5, limits?.Missed ?? 0 }.Max() * 1.1;
        double X(double at) => left + ((at - minAt) / Math.Max(1, maxAt - minAt) * (width - left - right));
        double Y(double gap) => top + ((1 - (gap / maxGap)) * (height - top - bottom));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<figure class=\"chart\" data-rule=\"{E(rule)}\" data-connection=\"{timing.Connection}\"><figcaption>{E(rule)}, connection {timing.Connection}: {E(timing.ToString())}</figcaption>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"heartbeat\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\">");
        if (limits is { } l)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"band\" x=\"{left}\" y=\"{F(Y(l.High))}\" width=\"{width - left - right}\" height=\"{F(Y(l.Low) - Y(l.High))}\"><title>band {l.Low:0}–{l.High:0} ms</title></rect>");
            Line(svg, "limit early", Y(l.Early), $"early < {l.Early:0} ms");
            Line(svg, "limit missed", Y(l.Missed), $"missed > {l.Missed:0} ms");
        }

        Line(svg, "advertised", Y(timing.AdvertisedMs), $"advertised {timing.AdvertisedMs:0} ms");
        foreach (var tick in Ticks(maxGap))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\">{tick:0}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{left}\" y=\"{height - 8}\">{minAt:0} ms</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{width - right}\" y=\"{height - 8}\" text-anchor=\"end\">{maxAt:0} ms</text>");
        foreach (var (at, gap) in timing.Gaps)
        {
            var outside = limits is { } lim && (gap < lim.Early || gap > lim.Missed);
            svg.Append(CultureInfo.InvariantCulture,
                $"<circle class=\"gap{(outside ? " outside" : "")}\" cx=\"{F(X(at))}\" cy=\"{F(Y(gap))}\" r=\"4\" data-at-ms=\"{at}\" data-gap-ms=\"{gap}\"><title>t={at:0} ms: gap {gap:0} ms</title></circle>");
        }

        return svg.Append("</svg></figure>\n").ToString();

        void Line(StringBuilder s, string css, double y, string label) => s.Append(CultureInfo.InvariantCulture,
            $"<line class=\"{css}\" x1=\"{left}\" x2=\"{width - right}\" y1=\"{F(y)}\" y2=\"{F(y)}\"/><text class=\"label\" x=\"{width - right - 4}\" y=\"{F(y - 3)}\" text-anchor=\"end\">{E(label)}</text>");
    }

    /// <summary>
    /// A lane per channel: the client process (output, exit), the scenario's steps, HTTP exchanges, each WebSocket
    /// connection (a bar from open to close; frames from the client above its line, from the mock below) and each UDP
    /// peer. Entries a broken rule names as evidence are marked <c>fault</c>. Every mark's title gives its time and text.
    /// </summary>
    public static string Timeline(JsonArray transcript, IReadOnlySet<int> faulty)
    {
        const double width = 1100, laneHeight = 30, left = 170, right = 16, top = 22;
        var items = transcript.OfType<JsonObject>().ToList();
        var lanes = new List<string>();
        var laneOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var marks = new List<(int Lane, JsonObject Item)>();
        var bars = new Dictionary<int, (double From, double? To)>();
        foreach (var item in items)
        {
            var key = LaneKey(item, out var title);
            if (key is null)
            {
                continue;
            }

            if (!laneOf.TryGetValue(key, out var lane))
            {
                lane = laneOf[key] = lanes.Count;
                lanes.Add(title);
            }

            if (Kind(item) == "ConnectionOpened")
            {
                bars[lane] = (Time(item), null);
            }
            else if (Kind(item) == "ConnectionClosed" && bars.TryGetValue(lane, out var bar))
            {
                bars[lane] = (bar.From, Time(item));
            }

            marks.Add((lane, item));
        }

        var end = Math.Max(1, items.Count > 0 ? items.Max(Time) : 1);
        var height = top + (lanes.Count * laneHeight) + 24;
        double X(double at) => left + (at / end * (width - left - right));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"timeline\" viewBox=\"0 0 {width} {F(height)}\" width=\"{width}\" height=\"{F(height)}\" role=\"img\">");
        foreach (var tick in Ticks(end))
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"tick\" x1=\"{F(X(tick))}\" x2=\"{F(X(tick))}\" y1=\"{top - 4}\" y2=\"{F(height - 20)}\"/><text class=\"axis\" x=\"{F(X(tick))}\" y=\"{F(height - 6)}\" text-anchor=\"middle\">{tick:0} ms</text>");
        }

        for (var lane = 0; lane < lanes.Count; lane++)
        {
            var mid = top + (lane * laneHeight) + (laneHeight / 2);
            svg.Append(CultureInfo.InvariantCulture,
                $"<g class=\"lane\" data-lane=\"{E(lanes[lane])}\"><text class=\"lane-name\" x=\"4\" y=\"{F(mid + 4)}\">{E(Shorten(lanes[lane], 26))}</text><line class=\"lane-line\" x1=\"{left}\" x2=\"{width - right}\" y1=\"{F(mid)}\" y2=\"{F(mid)}\"/>");
            if (bars.TryGetValue(lane, out var bar))
            {
                var to = bar.To ?? end;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"open\" x=\"{F(X(bar.From))}\" y=\"{F(mid - 3)}\" width=\"{F(Math.Max(1, X(to) - X(bar.From)))}\" height=\"6\"/>");
            }

            svg.Append("</g>");
        }

        foreach (var (lane, item) in marks.Take(MaxTimelineEvents))
        {
            var mid = top + (lane * laneHeight) + (laneHeight / 2);
            var direction = item["direction"]?.GetValue<string>();
            var y = direction == "client" ? mid - 7 : direction == "server" ? mid + 7 : mid;
            var css = "ev " + Kind(item) + (direction is null ? "" : " from-" + direction) + (faulty.Contains(Index(item)) ? " fault" : "");
            svg.Append(CultureInfo.InvariantCulture,
                $"<circle class=\"{E(css)}\" cx=\"{F(X(Time(item)))}\" cy=\"{F(y)}\" r=\"{(faulty.Contains(Index(item)) ? 5 : 3.5)}\" data-index=\"{Index(item)}\"><title>{E(Shorten(Describe(item), 300))}</title></circle>");
        }

        svg.Append("</svg>\n");
        if (marks.Count > MaxTimelineEvents)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<p>The timeline shows the first {MaxTimelineEvents} of {marks.Count} events.</p>\n");
        }

        return svg.ToString();
    }

    /// <summary>The lane an entry belongs on, and the lane's title; null for entries no lane shows.</summary>
    private static string? LaneKey(JsonObject item, out string title)
    {
        switch (Kind(item))
        {
            case "ProcessStarted" or "ProcessOutput" or "ProcessOutputDropped" or "ProcessExited":
                title = "client process";
                return "process";
            case "StepStarted":
                title = "scenario steps";
                return "steps";
            case "HttpExchange" or "ConnectionRefused":
                title = "HTTP";
                return "http";
            case "UdpPeerOpened" or "DatagramRecorded":
                var channel = item["channel"]?.ToString() ?? "?";
                title = $"UDP {channel}" + (item["endpoint"] is { } endpoint ? $" {endpoint}" : "");
                return "udp:" + channel;
            case "ConnectionOpened" or "FrameRecorded" or "ControlFrameRecorded" or "WireFaultSent" or "TcpReleased" or "FrameHeld" or "ConnectionClosed":
                var connection = item["connection"]?.ToString() ?? "?";
                title = $"WS connection {connection}" + (item["path"] is { } path ? " " + path : "");
                return "ws:" + connection;
            case "ChaosApplied" or "ChaosSet" or "WireFaultsSet" or "DatagramFaultsSet" or "MockFault":
                title = "mock faults";
                return "mock";
            default:
                title = "";
                return null;
        }
    }

    /// <summary>One line for an entry of the transcript's JSON: time, kind and what it carried.</summary>
    public static string Describe(JsonObject item)
    {
        var at = $"t={Time(item).ToString("0.0", CultureInfo.InvariantCulture)}ms #{Index(item)} {Kind(item)}";
        var skip = new HashSet<string>(StringComparer.Ordinal) { "index", "atMs", "kind" };
        var fields = item.Where(p => !skip.Contains(p.Key) && p.Value is not null)
            .Select(p => p.Key + "=" + (p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value!.ToJsonString()));
        return at + " " + string.Join(" ", fields);
    }

    private static void Head(StringBuilder html, string title, string root) =>
        html.Append(CultureInfo.InvariantCulture,
            $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title><meta name=\"viewport\" content=\"width=device-width\">\n<style>{Style}</style></head><body data-root=\"{root}\">\n");

    private static void Fact(StringBuilder html, string name, string? value)
    {
        if (value is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{name}</th><td class=\"{name}\">{E(value)}</td></tr>");
        }
    }

    private static IEnumerable<double> Ticks(double max)
    {
        var step = Math.Pow(10, Math.Floor(Math.Log10(max)));
        step = max / step >= 5 ? step : max / step >= 2 ? step / 2 : step / 5;
        for (var t = 0.0; t <= max; t += step)
        {
            yield return t;
        }
    }

    private static string Kind(JsonObject item) => item["kind"]?.GetValue<string>() ?? "";

    private static int Index(JsonObject item) => item["index"]?.GetValue<int>() ?? -1;

    private static double Time(JsonObject item) => item["atMs"]?.GetValue<double>() ?? 0;

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Css(Verdict verdict) => verdict.ToString().ToLowerInvariant();

    /// <summary>HTML-escaped, with control characters (a client's ANSI colours) shown as escapes.</summary>
    private static string E(string text) => WebUtility.HtmlEncode(ControlCharacters.Escape(text));

    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:16px 24px;color:#1d1d1f}
        h1{font-size:20px}h2{font-size:16px;margin-top:28px}h3{font-size:14px;margin:0 0 4px}
        table{border-collapse:collapse}td,th{border:1px solid #d8d8dc;padding:3px 8px;text-align:left;vertical-align:top}
        #matrix td.id{font-family:ui-monospace,monospace}.broken{font-size:11px;color:#5c0b0b}
        .v-pass{background:#d9f2dc}.v-warn{background:#fff1c2}.v-fail{background:#ffd4d1}.v-error{background:#ead7f7}.v-skipped{background:#ececec}
        .cell.none{color:#888}.badge{padding:2px 8px;border-radius:4px;font-size:14px}
        .n-fail{color:#b00020;font-weight:600}.n-error{color:#6a1b9a}
        #filters{margin:12px 0}#filters label{margin-right:14px}
        .failure{border-left:4px solid #b00020;padding:6px 10px;margin:8px 0}.failure.v-warn{border-color:#c79100}.failure.v-error{border-color:#6a1b9a}
        .rule-id{font-family:ui-monospace,monospace}.source{color:#555;font-size:12px}.facts th{background:#f4f4f6}
        svg text{font:11px system-ui,sans-serif;fill:#444}.lane-line{stroke:#ccc}.tick{stroke:#eee}
        rect.open{fill:#9ec5fe}.ev{fill:#777}.ev.from-client{fill:#1565c0}.ev.from-server{fill:#ef6c00}
        .ev.HttpExchange{fill:#2e7d32}.ev.ConnectionClosed,.ev.ProcessExited{fill:#000}.ev.fault{fill:#d50000;stroke:#000;stroke-width:1.5}
        .ev.ProcessOutput{fill:#9e9e9e}.ev.StepStarted{fill:#6d4c41}
        rect.band{fill:#c8e6c9}line.advertised{stroke:#2e7d32}line.limit{stroke:#b00020;stroke-dasharray:4 3}
        circle.gap{fill:#1565c0}circle.gap.outside{fill:#d50000}
        pre.diff .add{color:#1b5e20;background:#e8f5e9}pre.diff .del{color:#b71c1c;background:#ffebee}pre.diff .hunk{color:#6a1b9a}
        pre{white-space:pre-wrap}.transcript td{font-family:ui-monospace,monospace;font-size:12px}
        """;

    /// <summary>
    /// Hides the matrix rows the filters leave out: a row stays when one of its cells judged the rule (with that verdict,
    /// when a verdict is chosen too) or, without a rule, has the verdict. The filters can be set from the address too
    /// (<c>?protocol=&amp;rule=&amp;verdict=</c>).
    /// </summary>
    private const string FilterScript = """
        (function () {
          var p = document.getElementById('f-protocol'), r = document.getElementById('f-rule'), v = document.getElementById('f-verdict');
          var q = new URLSearchParams(location.search);
          if (q.get('protocol')) p.value = q.get('protocol');
          if (q.get('rule')) r.value = q.get('rule');
          if (q.get('verdict')) v.value = q.get('verdict');
          function matches(cell, rule, verdict) {
            if (!cell.dataset.verdict) return false;
            if (!rule) return !verdict || cell.dataset.verdict === verdict;
            var rules = cell.dataset.rules;
            return verdict ? rules.indexOf(' ' + rule + ':' + verdict + ' ') >= 0 : rules.indexOf(' ' + rule + ':') >= 0;
          }
          function apply() {
            var rows = document.querySelectorAll('#matrix tbody tr'), shown = 0, rule = r.value.trim(), verdict = v.value;
            rows.forEach(function (row) {
              var ok = (!p.value || row.dataset.protocol === p.value) &&
                (!rule && !verdict || Array.prototype.some.call(row.querySelectorAll('td.cell'), function (c) { return matches(c, rule, verdict); }));
              row.hidden = !ok;
              if (ok) shown++;
            });
            document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' scenarios';
          }
          [p, r, v].forEach(function (e) { e.addEventListener('input', apply); e.addEventListener('change', apply); });
          apply();
        })();
        """;
}
