namespace Conformance.Harness.Clients;

/// <summary>
/// How to start the client under test: a shell command line (run with <c>bash -c</c>, or <c>sh -c</c> where there is no
/// bash, after <c>{url}</c> and <c>{http_url}</c> are replaced), an optional working directory and extra environment
/// variables.
/// </summary>
public sealed record ClientSpec(string Command)
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the client gets to exit after SIGTERM before the whole tree is killed. Default: 2 s.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(2);
}
