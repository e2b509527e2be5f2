using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;
using WireMock.Logging;
using WireMock.Server;
using WireMock.Settings;

namespace Conformance.Harness.Stubs;

/// <summary>
/// A scenario's HTTP stubs, served by WireMock.Net on a loopback port of its own, in front of a protocol mock's routes.
/// <see cref="Install"/> puts a route before the mock's own: each HTTP request is handed to WireMock.Net as it came
/// (method, path, query, headers with the original Host, body); a stub's answer goes back to the client, and a request
/// no stub matched goes on to the mock's routes. The client sees one base URL, and the mock records every exchange in
/// the one transcript. With <see cref="StubServerOptions.AdminApi"/>, WireMock's admin API answers under
/// <c>/__admin</c> on the mock's URL too.
/// </summary>
public sealed class StubServer : IDisposable
{
    // Not forwarded either way: they describe one hop, not the message.
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Content-Length", "Date", "Server",
    };

    private readonly WireMockServer _server;
    private readonly HttpClient _http;
    private readonly IReadOnlyList<HttpStub> _stubs;
    private readonly IReadOnlyDictionary<string, JsonNode?> _captures;

    private StubServer(WireMockServer server, IReadOnlyList<HttpStub> stubs, IReadOnlyDictionary<string, JsonNode?> captures)
    {
        _server = server;
        _stubs = stubs;
        _captures = captures;
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = new Uri(server.Url!),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>WireMock.Net's own address (loopback), for its admin API and logs.</summary>
    public Uri Url => new(_server.Url!);

    /// <summary>The WireMock.Net server, for what this class does not wrap (its request log, its mappings).</summary>
    public WireMockServer WireMock => _server;

    /// <summary>Starts WireMock.Net with <paramref name="stubs"/> (in their order) and the pass-on catch-all.</summary>
    /// <param name="stubs">The stubs, first to last at equal priority.</param>
    /// <param name="options">Whether the admin API answers.</param>
    /// <param name="captures">Values <c>${name}</c> in a stub's answer is replaced with when the request comes.</param>
    public static async Task<StubServer> StartAsync(IReadOnlyList<HttpStub> stubs, IReadOnlyDictionary<string, JsonNode?>? captures = null, StubServerOptions? options = null)
    {
        var server = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],
            StartAdminInterface = options?.AdminApi ?? false,
            Logger = new WireMockNullLogger(),
            // Each request is the mock's to record; WireMock.Net's log is kept short for the admin API.
            MaxRequestLogCount = 1000,
        });
        for (var i = 0; i < stubs.Count; i++)
        {
            WireMockMappings.Add(server, stubs[i], i);
        }

        WireMockMappings.AddPassOn(server);
        var started = new StubServer(server, stubs, captures ?? new Dictionary<string, JsonNode?>());

        // The first request through WireMock.Net compiles its whole pipeline (seconds on a loaded machine): paid here,
        // before the client starts, rather than inside the client's first request and its timeout.
        using (await started._http.GetAsync(new Uri("/__conformance/warm-up", UriKind.Relative)).ConfigureAwait(false))
        {
            server.ResetLogEntries();
        }

        return started;
    }

    /// <summary>Puts the stubs in front of every route of <paramref name="host"/>.</summary>
    public void Install(MockHost host) => host.Routes.Insert(0, new HttpRoute("*", "*", ForwardAsync) { Name = "stub" });

    private async Task<HttpReply> ForwardAsync(HttpRequestContext context)
    {
        var incoming = context.Http.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), incoming.Path.Value + incoming.QueryString.Value);
        if (context.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(context.Body));
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (!HopHeaders.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _http.SendAsync(request, context.Http.RequestAborted).ConfigureAwait(false);
        if (response.Headers.Contains(WireMockMappings.PassOnHeader))
        {
            return HttpReply.PassOn;
        }

        var stub = response.Headers.TryGetValues(WireMockMappings.StubHeader, out var numbers) && int.TryParse(numbers.First(), out var number)
            ? _stubs[number]
            : null;
        var body = await response.Content.ReadAsStringAsync(context.Http.RequestAborted).ConfigureAwait(false);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => !HopHeaders.Contains(h.Key) && h.Key != WireMockMappings.StubHeader && !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => Fill(string.Join(", ", h.Value)), StringComparer.OrdinalIgnoreCase);
        var contentType = response.Content.Headers.ContentType?.ToString() ?? "";
        return new HttpReply((int)response.StatusCode, body.Length == 0 ? null : FillBody(body, contentType), contentType)
        {
            Headers = headers,
            // A mapping added through the admin API carries no number.
            AnsweredBy = stub?.Name ?? "stub added through WireMock's admin API",
            Fault = stub?.Response.Fault ?? HttpFault.None,
        };
    }

    // ${name} in a stub's answer: the value captured by then (a JSON answer gets JSON values, numbers stay numbers).
    private string FillBody(string body, string contentType) =>
        !body.Contains("${", StringComparison.Ordinal) ? body
        : contentType.Contains("json", StringComparison.OrdinalIgnoreCase) && JsonText.TryParse(body) is { } json ? JsonText.Write(Variables.Substitute(json, _captures))
        : Fill(body);

    private string Fill(string text) => text.Contains("${", StringComparison.Ordinal) ? Variables.Substitute(text, _captures) : text;

    public void Dispose()
    {
        _http.Dispose();
        _server.Stop();
        _server.Dispose();
    }
}

/// <summary>How a <see cref="StubServer"/> serves.</summary>
public sealed class StubServerOptions
{
    /// <summary>Whether WireMock's admin API (<c>/__admin/mappings</c>, <c>/__admin/requests</c>, ...) answers. Default: no.</summary>
    public bool AdminApi { get; init; }
}
