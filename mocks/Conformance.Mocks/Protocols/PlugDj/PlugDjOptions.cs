using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// Everything a scenario may vary about the plug.dj mock. Defaults follow seed 001 (plug.dj socket API) and, where
/// the seed is silent, the public sources and observed behaviour listed in specs/plugdj/README.md.
/// </summary>
public sealed class PlugDjOptions
{
    /// <summary>The Origin the upgrade must carry; other origins get HTTP 403 (seed §Connecting, step 1). Default: https://plug.dj.</summary>
    [Description("The Origin the socket upgrade must carry; other origins get HTTP 403 (seed §Connecting, step 1).")]
    public string Origin { get; set; } = "https://plug.dj";

    /// <summary>Whether the Origin check applies. Default: true.</summary>
    [Description("Whether the Origin check applies.")]
    public bool RequireOrigin { get; set; } = true;

    /// <summary>
    /// How long the mock waits for the auth frame before closing. The seed says to send it "immediately" and that ten
    /// seconds later is too late; 5 s sits well inside that. Default: 5 s.
    /// </summary>
    [Description(
        "How long the mock waits for the auth frame before closing the socket (the seed says to send it " +
        "immediately, and that ten seconds later is too late).")]
    public TimeSpan AuthDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Close code used when auth does not arrive in time (the real code is undocumented). Default: 1008.</summary>
    [Description("Close code used when auth does not arrive in time (the real code is undocumented).")]
    public int AuthTimeoutCode { get; set; } = 1008;

    /// <summary>Send ack's p as the number 1 (the docs' form) instead of the string "1" real clients require. Default: false.</summary>
    [Description("Send ack's p as the number 1 (the documentation's form) instead of the string \"1\" real clients require.")]
    public bool NumericAck { get; set; }

    /// <summary>
    /// How many auth frames with a valid token the mock answers as failed (ack p "0") before it accepts one, counted
    /// over the whole run: a stand-in for a token that has expired or whose session ended, so a scenario can see how
    /// the client copes without the client having sent a bad token. Default: 0.
    /// </summary>
    [Description(
        "How many auth frames with a valid token are answered as failed (ack p \"0\") before one is accepted, over " +
        "the whole run: a stand-in for a token that has expired or whose session ended.")]
    [Range(0, int.MaxValue)]
    public int RejectAuths { get; set; }

    /// <summary>The bare <c>h</c> is sent after this much silence from the server (plugcommunity/documentation socket.md §The h Message, about 10 s since commit 4a92f9b). Default: 10 s.</summary>
    [Description("The bare h keep-alive is sent after this much silence from the server (plugcommunity/documentation socket.md §The h Message, about 10 s since commit 4a92f9b).")]
    public TimeSpan KeepAliveAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After this long on a connection the mock falls silent: no more <c>h</c>. Default: never.</summary>
    [Description("After this long on a connection the mock falls silent: no more h; null: never.")]
    public TimeSpan? SilenceAfter { get; set; }

    /// <summary>
    /// The chat limit refills one message's allowance this often; chat beyond the allowance is dropped silently
    /// (seed §"chat": one message a second is safe). Zero turns the limit off. Default: 1 s.
    /// </summary>
    [Description(
        "The chat limit (a token bucket) refills one message's allowance this often; chat beyond it is dropped " +
        "silently (seed §\"chat\": one message a second is safe). 0 turns the limit off.")]
    public TimeSpan ChatRefill { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many messages the chat limit lets through at once after a quiet spell. Seed §"chat": the limit "isn't
    /// constant", a backoff can go "a little more quickly", and Plugged's linear backoff "semi-reliably" sends over five
    /// a second; five at once and one a second after that lets such a client through, and not a flood. Default: 5.
    /// </summary>
    [Description(
        "How many chat messages the limit lets through at once after a quiet spell (seed §\"chat\": the limit " +
        "isn't constant, and a client with a backoff can go a little more quickly).")]
    [Range(1, int.MaxValue)]
    public int ChatBurst { get; set; } = 5;

    /// <summary>Whether accepted chat is echoed back as a chat event (observed behaviour; event shape from plugcommunity/documentation api/events/chat.md; specs/plugdj/README.md). Default: true.</summary>
    [Description("Whether accepted chat is echoed back as a chat event (observed behaviour; event shape from plugcommunity/documentation api/events/chat.md; specs/plugdj/README.md).")]
    public bool EchoChat { get; set; } = true;

    /// <summary>Slug of the room the mock hosts. Default: tastycat (the seed's example).</summary>
    [Description("Slug of the room the mock hosts, handed to clients as CONFORMANCE_ROOM.")]
    public string Room { get; set; } = "tastycat";

    /// <summary>The account REST login accepts. Default: bot@conformance.test.</summary>
    [Description("The account REST login accepts, handed to clients as CONFORMANCE_EMAIL.")]
    public string Email { get; set; } = "bot@conformance.test";

    /// <summary>Its password. Default: hunter2.</summary>
    [Description("Its password, handed to clients as CONFORMANCE_PASSWORD.")]
    public string Password { get; set; } = "hunter2";

    /// <summary>A socket token the mock always accepts, handed to clients as CONFORMANCE_TOKEN. Default: a fixed token.</summary>
    [Description("A socket token the mock always accepts, handed to clients as CONFORMANCE_TOKEN.")]
    public string Token { get; set; } = "conformance-static-token";

    /// <summary>Seed of generated users, media and ids. Default: 2015.</summary>
    [Description("Seed of generated users, media and ids.")]
    public int Seed { get; set; } = 2015;
}
