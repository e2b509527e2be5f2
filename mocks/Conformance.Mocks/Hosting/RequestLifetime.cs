using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// Lets a connection cut its TCP connection only while its request is still being served: once the request ends,
/// Kestrel recycles the HttpContext and aborting it would touch another request's state.
/// </summary>
internal sealed class RequestLifetime(HttpContext context)
{
    private readonly Lock _gate = new();
    private bool _ended;

    public void Abort()
    {
        lock (_gate)
        {
            if (!_ended)
            {
                context.Abort();
            }
        }
    }

    public void End()
    {
        lock (_gate)
        {
            _ended = true;
        }
    }
}
