namespace Conformance.Harness.Clients;

/// <summary>
/// How to start the client under test: a shell command line (run with <c>bash -c</c>, or <c>sh -c</c> where there is no
/// bash, after <c>{url}</c> and <c>{http_url}</c> are replaced), an optional working directory and extra environment
/// variables. <see cref="InProcess"/> makes it C# code run in the harness's own process instead.
/// </summary>
public sealed record ClientSpec(string Command)
{
    /// <summary>
    /// When set, the client is this delegate, run in-process with the client's variables (see <see cref="InProcessClient"/>);
    /// <see cref="Command"/> is then only its name in the transcript.
    /// </summary>
    public Func<InProcessClientContext, CancellationToken, Task>? InProcess { get; init; }

    /// <summary>An in-process client named <paramref name="name"/>.</summary>
    public static ClientSpec InProcessClient(string name, Func<InProcessClientContext, CancellationToken, Task> run) =>
        new($"in-process: {name}") { InProcess = run };

    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the client gets to exit after SIGTERM before the whole tree is killed. Default: 2 s.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(2);
}
