using System.Collections.Concurrent;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// Kestrel, in-process, serving a mock's WebSocket endpoints and HTTP routes, beside a socket of its own for each UDP
/// endpoint. Everything that crosses a socket is recorded in the one <see cref="Transcript"/>; exceptions from handlers
/// become <see cref="MockFault"/> entries and are rethrown by <see cref="ThrowIfFaulted"/>.
/// </summary>
public sealed partial class MockHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<WebSocketEndpoint> _webSockets;
    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly Lock _gate = new();
    private readonly MockHostOptions _options;
    private int _disposed;

    private MockHost(WebApplication app, MockHostOptions options, IReadOnlyList<MockEndpoint> endpoints, Transcript transcript)
    {
        _app = app;
        _options = options;
        _webSockets = [.. endpoints.OfType<WebSocketEndpoint>()];
        _endpoints = [.. endpoints];
        Transcript = transcript;
    }

    public Transcript Transcript { get; }

    /// <summary>Base HTTP address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri HttpUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>
    /// Base HTTPS address of the TLS listener, e.g. <c>https://127.0.0.1:41235</c>, when
    /// <see cref="MockHostOptions.TlsCertificate"/> is set; otherwise null. It serves the same routes and endpoints.
    /// </summary>
    public Uri? HttpsUrl { get; private set; }

    /// <summary>HTTP routes, consulted in order after scenario stubs; mutable so scenarios can add to them.</summary>
    public IList<HttpRoute> Routes { get; } = new List<HttpRoute>();

    /// <summary>Handles <c>/_conformance/*</c> requests; set by the owner of the host.</summary>
    public Func<HttpContext, Task>? ControlApi { get; set; }

    /// <summary>Every WebSocket connection accepted so far, oldest first (<see cref="Channels"/> lists UDP peers too).</summary>
    public IReadOnlyList<MockConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return [.. _connections];
            }
        }
    }

    public IReadOnlyCollection<Exception> Faults => _faults;

    /// <summary>
    /// Starts Kestrel on <see cref="MockHostOptions.Address"/> for the WebSocket endpoints and HTTP routes, then binds each
    /// UDP endpoint to a port of its own on the same address. Endpoint names must be unique.
    /// </summary>
    public static async Task<MockHost> StartAsync(
        MockHostOptions options,
        IReadOnlyList<MockEndpoint> endpoints,
        Transcript transcript,
        CancellationToken cancellation = default)
    {
        CheckEndpoints(endpoints);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(options.Address, options.Port);
            if (options.TlsCertificate is { } certificate)
            {
                k.Listen(options.Address, 0, listen => listen.UseHttps(certificate));
            }

            k.AddServerHeader = false;
        });
        builder.Services.AddLogging(l => l.ClearProviders());
        var app = builder.Build();
        var host = new MockHost(app, options, endpoints, transcript);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(host.DispatchAsync);
        await app.StartAsync(cancellation).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("//0.0.0.0:", "//127.0.0.1:", StringComparison.Ordinal))).ToList();
        host.HttpUrl = addresses.First(a => a.Scheme == Uri.UriSchemeHttp);
        host.HttpsUrl = addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttps);
        try
        {
            foreach (var udp in endpoints.OfType<UdpEndpoint>())
            {
                host.Bind(udp);
            }
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return host;
    }

    /// <summary>The <c>ws://</c> URL of a path on this host.</summary>
    public string WebSocketUrl(string path) => $"ws://{HttpUrl.Authority}{path}";

    /// <summary>Records an exception from a handler so the run is reported as Error.</summary>
    public void ReportFault(Exception exception)
    {
        _faults.Enqueue(exception);
        Transcript.Append(new MockFault(exception.Message, exception.ToString()));
    }

    public void ThrowIfFaulted()
    {
        if (!_faults.IsEmpty)
        {
            throw new AggregateException("The mock server faulted.", _faults);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var connection in Connections)
        {
            connection.Teardown();
        }

        await Task.WhenAll(UdpSockets.Select(s => s.CloseAsync())).ConfigureAwait(false);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown timed out; DisposeAsync below still releases the port.
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
