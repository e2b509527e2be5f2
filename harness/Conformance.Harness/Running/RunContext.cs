using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Conformance.Harness.Clients;
using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>The state steps share while a scenario runs: the mock, the client, cursors into the transcript, captures.</summary>
internal sealed class RunContext(Scenario scenario, IProtocolModule module, ProtocolMock mock, IClientUnderTest client, CancellationToken cancellation)
{
    public Scenario Scenario { get; } = scenario;

    public IProtocolModule Module { get; } = module;

    public ProtocolMock Mock { get; } = mock;

    public Transcript Transcript => Mock.Transcript;

    /// <summary>The client under test; <see cref="NotStartedClient"/> while leading steps prepare the mock.</summary>
    public IClientUnderTest Client { get; set; } = client;

    /// <summary>Fires when the scenario's timeout runs out.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The number of the step being carried out, from 1.</summary>
    public int StepNumber { get; set; }

    /// <summary>What the mock did that made the current step fail, for <see cref="StepOutcome.Causes"/>; cleared before each step.</summary>
    public List<TranscriptEntry> FailureCauses { get; } = [];

    /// <summary>
    /// What the current step judged of rules besides its own pass or fail (the pace of reconnect attempts), reported as
    /// monitors' findings are; cleared before each step.
    /// </summary>
    public List<RuleFinding> StepFindings { get; } = [];

    /// <summary>How busy the machine was between two transcript times (<see cref="LoadProbe"/>), or null where nobody watched.</summary>
    public Func<TimeSpan, TimeSpan, LoadReading?> Load { get; init; } = static (_, _) => null;

    /// <summary>Where the next frame expectation starts looking: just after the last frame one matched.</summary>
    public int FrameCursor { get; set; }

    /// <summary>
    /// Where the next frame expectation with <c>on:</c> starts looking in that connection's frames, by connection id and
    /// direction: each connection keeps its own place, so expecting on one never skips what another sent meanwhile.
    /// </summary>
    public Dictionary<(int Connection, bool FromServer), int> ConnectionCursors { get; } = [];

    /// <summary>Where the next expectation of the mock's own frames (<c>from: server</c>) starts looking.</summary>
    public int ServerFrameCursor { get; set; }

    /// <summary>The run's seed for scripted randomness (UDP faults): <c>--seed</c>, or a fresh one, recorded with what it drives.</summary>
    public int Seed { get; init; }

    /// <summary>Where the next datagram expectation starts looking: datagrams are a stream of their own.</summary>
    public int DatagramCursor { get; set; }

    /// <summary>Where the next connect expectation starts looking.</summary>
    public int ConnectCursor { get; set; }

    /// <summary>Where the next HTTP expectation starts looking.</summary>
    public int HttpCursor { get; set; }

    /// <summary>Where the next output expectation starts looking; output runs beside frames, so it has its own cursor.</summary>
    public int OutputCursor { get; set; }

    /// <summary>The connection scripted sends go to: the one the last connect expectation saw.</summary>
    public MockConnection? Connection { get; set; }

    /// <summary>Channels named by <c>as:</c> (on <c>expect_connect</c>, <c>expect_datagram</c>), for <c>on: name</c>.</summary>
    public Dictionary<string, int> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Transcript time at which the current step started: <c>after:</c> bounds are measured from here.</summary>
    public TimeSpan StepStartedAt { get; set; }

    /// <summary>Values captured so far, by name, for <c>${name}</c>; stubs read them while steps write, from other threads.</summary>
    public ConcurrentDictionary<string, JsonNode?> Captures { get; init; } = new(StringComparer.Ordinal);

    /// <summary><c>expect_none</c> steps without <c>for</c>, judged once the step after them has finished.</summary>
    public List<Guard> Guards { get; } = [];

    /// <summary>
    /// The WebSocket connection a step acts on: the one <paramref name="on"/> names (a number, an <c>as:</c> name or an
    /// endpoint's latest), else the latest the script saw. Null with the reason when there is none.
    /// </summary>
    public (MockConnection? Connection, string? Missing) Target(ChannelRef? on)
    {
        if (on is null)
        {
            return (Connection, Connection is null ? "the client has not connected (an expect_connect step comes first)" : null);
        }

        var (channel, missing) = TargetChannel(on, ChannelTransport.WebSocket);
        return channel is null ? (null, missing) : ((MockConnection)channel, null);
    }

    /// <summary>
    /// The channel <paramref name="on"/> names, of <paramref name="transport"/>: a number, an <c>as:</c> name, or an
    /// endpoint (its latest channel); without <paramref name="on"/>, the latest channel of that transport.
    /// </summary>
    public (IChannel? Channel, string? Missing) TargetChannel(ChannelRef? on, ChannelTransport transport)
    {
        var channels = Mock.Host.Channels;
        var found = on switch
        {
            null => channels.LastOrDefault(c => c.Transport == transport),
            { Number: { } number } => channels.FirstOrDefault(c => c.Id == number),
            { Name: { } name } when Names.TryGetValue(name, out var id) => channels.FirstOrDefault(c => c.Id == id),
            _ => channels.LastOrDefault(c => c.Endpoint == on.Name),
        };
        var kind = transport == ChannelTransport.Udp ? "UDP peer" : "connection";
        return found is null ? (null, on is null ? $"there is no {kind} yet" : $"there is no {kind} {on}")
            : found.Transport != transport ? (null, $"{on} is a {(found.Transport == ChannelTransport.Udp ? "UDP peer" : "WebSocket connection")}, not a {kind}")
            : (found, null);
    }

    /// <summary>A token that fires at <paramref name="within"/>, at the scenario timeout, or when the client process exits.</summary>
    public CancellationTokenSource Window(TimeSpan within, bool stopOnExit = true)
    {
        var window = stopOnExit
            ? CancellationTokenSource.CreateLinkedTokenSource(Cancellation, Client.ExitedToken)
            : CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        window.CancelAfter(within);
        return window;
    }

    /// <summary>
    /// Null when <paramref name="found"/> came at least <paramref name="after"/> into the step, else a failure saying when
    /// it came: the lower bound of a timing window (a reconnect backoff, "not before 1 s").
    /// </summary>
    public string? TooEarly(TranscriptEntry found, TimeSpan? after, string what)
    {
        var elapsed = found.At - StepStartedAt;
        return after is { } bound && elapsed < bound
            ? $"{what} came {elapsed.TotalMilliseconds:0}ms into the step, at {found.At.TotalMilliseconds:0}ms; expected not before {Durations.Format(bound)}"
            : null;
    }

    /// <summary>
    /// Makes <paramref name="opened"/> the connection later steps act on, frame expectations starting after it, and waits
    /// (until <paramref name="window"/> fires) for the mock's own opening: scripted frames never overtake a welcome.
    /// </summary>
    public async Task AdoptAsync(ConnectionOpened opened, CancellationToken window)
    {
        FrameCursor = Math.Max(FrameCursor, opened.Index + 1);
        ServerFrameCursor = Math.Max(ServerFrameCursor, opened.Index + 1);
        Connection = Mock.Connections.First(c => c.Id == opened.Connection);
        try
        {
            await Connection.Opened.WaitAsync(window).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
        {
            // The window closed or the client exited while the opening was under way; later steps report it.
        }
    }

    /// <summary>Stores the values <paramref name="captures"/> names (variable to JSON path) from <paramref name="view"/>.</summary>
    public void Capture(IReadOnlyDictionary<string, string> captures, JsonNode? view)
    {
        foreach (var (name, path) in captures)
        {
            var found = JsonPath.TrySelect(view, path, out var node);
            Captures[name] = found ? node?.DeepClone() : null;
            if (found)
            {
                AbsentCaptures.TryRemove(name, out _);
            }
            else
            {
                AbsentCaptures[name] = true;
            }
        }
    }

    /// <summary>Names whose captured field was absent (kept apart from a JSON null): matchers read them as <c>{ $is: absent }</c>.</summary>
    public ConcurrentDictionary<string, bool> AbsentCaptures { get; } = new(StringComparer.Ordinal);

    /// <summary>The names of <see cref="AbsentCaptures"/>, for <see cref="Variables.Substitute(JsonNode?, IReadOnlyDictionary{string, JsonNode?}, IReadOnlySet{string}?)"/>.</summary>
    public IReadOnlySet<string> Absent => AbsentCaptures.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>An action that could not act, with why, and why the run was cut short if it was.</summary>
    public string CannotAct(string action, string why) => $"cannot {action}: {why}" + Because();

    /// <summary>"; the client process exited ..." when a wait was cut short, else empty.</summary>
    public string Because() => WhyCutShort() is { } why ? "; " + why : "";

    /// <summary>
    /// Why a wait or a send ended early: the mock cut the connection because the client stopped reading, the scenario
    /// timed out, or the client process exited.
    /// </summary>
    public string? WhyCutShort()
    {
        if (Connection is { Ended: { Stall: { } stall } ended })
        {
            return $"the mock cut connection {ended.Connection} at {ended.At.TotalMilliseconds:0}ms because {stall.Describe()}";
        }

        if (Cancellation.IsCancellationRequested)
        {
            return $"the scenario timed out after {Durations.Format(Scenario.Timeout)}";
        }

        if (!Client.HasExited)
        {
            return null;
        }

        var exit = Transcript.Snapshot().OfType<ProcessExited>().LastOrDefault();
        var stderr = Transcript.Snapshot().OfType<ProcessOutput>().Where(o => o.Stream == OutputStream.Stderr).TakeLast(3).Select(o => o.Line);
        var tail = string.Join(" | ", stderr);
        return $"the client process exited with code {exit?.ExitCode} at {exit?.At.TotalMilliseconds:0}ms" + (tail.Length > 0 ? $" (stderr: {tail})" : "");
    }
}

/// <summary>An <c>expect_none</c> watching the transcript from <paramref name="From"/> until the step after <paramref name="Step"/> ends.</summary>
internal sealed record Guard(int Step, ExpectNoneStep Expectation, int From, FrameMatcher Matcher);
