namespace Conformance.Harness.Protocols;

/// <summary>
/// How the names of the endpoints a mock opens while it runs read: <see cref="Prefix"/> and a number, such as
/// <c>podcast-3735928559</c>, one UDP socket per podcast. Scenarios may name them before they exist.
/// </summary>
public sealed record DynamicEndpointNames(string Prefix)
{
    /// <summary>The names as people read them, e.g. <c>podcast-&lt;id&gt;</c>.</summary>
    public string Form => Prefix + "<id>";

    /// <summary>Whether <paramref name="name"/> is the prefix followed by digits.</summary>
    public bool Matches(string name) =>
        name.Length > Prefix.Length && name.StartsWith(Prefix, StringComparison.Ordinal) && name.AsSpan(Prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0;
}
