using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// A scripted refusal: the next <see cref="Times"/> requests to a path (WebSocket upgrades or plain HTTP) are answered with
/// this status, headers and body instead of being served, e.g. 401 with a <c>WWW-Authenticate</c> challenge, then success.
/// </summary>
public sealed record ScriptedRefusal(PathPattern? Path, int Status, IReadOnlyDictionary<string, string> Headers, string? Body, int Times)
{
    /// <summary>What made it, for the transcript, e.g. <c>step 2</c>.</summary>
    public string? Origin { get; init; }
}

public sealed partial class MockHost
{
    private readonly List<(ScriptedRefusal Refusal, int Left)> _refusals = [];

    /// <summary>Adds a refusal; it applies to the next matching requests, ahead of endpoints, stubs and routes.</summary>
    public void Refuse(ScriptedRefusal refusal)
    {
        lock (_gate)
        {
            _refusals.Add((refusal, refusal.Times));
        }
    }

    /// <summary>Answers the request with a pending refusal and records it; false when none applies.</summary>
    private async Task<bool> TryRefuseAsync(HttpContext context, string path)
    {
        ScriptedRefusal? refusal = null;
        lock (_gate)
        {
            var index = _refusals.FindIndex(r => r.Refusal.Path is null ? context.WebSockets.IsWebSocketRequest : r.Refusal.Path.Match(path) is not null);
            if (index >= 0)
            {
                var (found, left) = _refusals[index];
                refusal = found;
                if (left <= 1)
                {
                    _refusals.RemoveAt(index);
                }
                else
                {
                    _refusals[index] = (found, left - 1);
                }
            }
        }

        if (refusal is null)
        {
            return false;
        }

        var reason = $"scripted ({refusal.Origin ?? "refusal"})" + (refusal.Body is { Length: > 0 } body ? ": " + body : "");
        if (context.WebSockets.IsWebSocketRequest)
        {
            var endpoint = _webSockets.FirstOrDefault(e => e.Pattern.Match(path) is not null)?.Name ?? "";
            Transcript.Append(new ConnectionRefused(endpoint, path, refusal.Status, reason)
            {
                Query = context.Request.QueryString.Value ?? "",
                Headers = UpgradeHeaders(context),
            });
        }
        else
        {
            Transcript.Append(new HttpExchange(context.Request.Method, path, context.Request.QueryString.Value ?? "", null, refusal.Status, refusal.Body)
            {
                Route = refusal.Origin,
                RequestHeaders = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            });
        }

        context.Response.StatusCode = refusal.Status;
        foreach (var (name, value) in refusal.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        if (refusal.Body is not null)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(refusal.Body, context.RequestAborted).ConfigureAwait(false);
        }

        return true;
    }
}
