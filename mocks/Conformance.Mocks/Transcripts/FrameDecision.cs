namespace Conformance.Mocks.Transcripts;

/// <summary>
/// What a mock did with a client frame instead of acting on it as the protocol says. A frame the mock acted on
/// normally carries no decision. Monitors judge from these kinds, never from the wording of the detail.
/// </summary>
public enum FrameDecisionKind
{
    /// <summary>The message was longer than the host takes; it was cut there and the connection closed with 1009.</summary>
    Oversize,

    /// <summary>A text frame whose payload is not UTF-8; it is recorded as bytes.</summary>
    InvalidUtf8,

    /// <summary>Not a message of the protocol (not JSON, missing or mistyped fields); the mock ignored it.</summary>
    Malformed,

    /// <summary>A well-formed message with an action or op the mock does not know; ignored.</summary>
    UnknownAction,

    /// <summary>A message that needs authentication, sent before the connection authenticated; ignored.</summary>
    NotAuthenticated,

    /// <summary>A second authentication on a connection that had already authenticated; ignored.</summary>
    AlreadyAuthenticated,

    /// <summary>Authentication with a credential the mock never issued; answered as a failure.</summary>
    AuthRejected,

    /// <summary>
    /// Authentication with a valid credential that the scenario told the mock to refuse (a stand-in for an expired
    /// token); answered as a failure, but the client did nothing wrong.
    /// </summary>
    AuthRefusedByScenario,

    /// <summary>A chat message dropped silently because it holds a newline.</summary>
    DroppedNewline,

    /// <summary>A chat message dropped silently because it came faster than the chat limit allows.</summary>
    DroppedRateLimit,
}

/// <summary>
/// One decision a mock made about a client frame: the <paramref name="Kind"/> for monitors, and a
/// <paramref name="Detail"/> for people reading transcripts and snapshots (e.g. <c>dropped: rate limit</c>).
/// </summary>
public sealed record FrameDecision(FrameDecisionKind Kind, string? Detail = null)
{
    /// <summary>How the decision reads in a transcript: the detail, or the kind's name when there is none.</summary>
    public string Display => Detail ?? Kind.ToString();
}

/// <summary>
/// What a mock made of a client's datagram. Monitors judge from these kinds, never from the wording of the detail.
/// </summary>
public enum DatagramDecisionKind
{
    /// <summary>Sealed audio, nonce first, that opens with the secret the client was given.</summary>
    Opened,

    /// <summary>Taken as plain audio: the client was given no secret to seal with.</summary>
    Plain,

    /// <summary>Shorter than a nonce and a MAC: it cannot be sealed audio.</summary>
    TooShort,

    /// <summary>Long enough, but it does not open with the secret (a bad MAC, a nonce elsewhere, not sealed at all).</summary>
    DoesNotOpen,

    /// <summary>From an address no party of the protocol announced; dropped.</summary>
    UnknownSource,

    /// <summary>Sent before the server told the sender it was ready for it; dropped.</summary>
    TooEarly,

    /// <summary>Sent after the session it belonged to had ended; dropped.</summary>
    AfterEnd,

    /// <summary>From a party whose datagrams the protocol does not pass on (a listener's); ignored, and no fault of the sender.</summary>
    NotRelayed,

    /// <summary>Passed on to other parties.</summary>
    Relayed,
}

/// <summary>One decision a mock made about a datagram: the kind for monitors, a detail for people.</summary>
public sealed record DatagramDecision(DatagramDecisionKind Kind, string? Detail = null)
{
    public string Display => Detail ?? Kind.ToString();
}
