using System.Collections.Concurrent;
using System.Globalization;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// Sends random messages to a running mock from <see cref="Workers"/> connections at once, each pipelined (no waiting
/// for answers), until the mock has recorded <see cref="FrameTarget"/> of them. A connection sends a number of messages
/// drawn from its seed, then closes (or now and then drops); one that sends a message over the mock's limit ends there
/// and waits for the mock's 1009. A connection the mock ends early is replaced by a new one, and counted.
/// </summary>
internal sealed class FuzzRun(FuzzTarget target, ProtocolMock mock, int seed, int maxMessageBytes)
{
    private readonly ConcurrentBag<string> _learned = [];
    private readonly ConcurrentDictionary<string, int> _sources = new(StringComparer.Ordinal);
    private int _sent;
    private int _recorded;
    private int _next = -1;
    private int _refused;
    private int _endedByMock;
    private int _dropped;

    public int FrameTarget { get; init; } = 100_000;

    public int Workers { get; init; } = 4;

    /// <summary>Every connection the mock accepted, in no particular order.</summary>
    public ConcurrentBag<FuzzConnection> Connections { get; } = [];

    /// <summary>Connections whose close the mock did not answer in time.</summary>
    public ConcurrentBag<int> CloseUnanswered { get; } = [];

    /// <summary>Connections whose message over the limit the mock did not answer by closing.</summary>
    public ConcurrentBag<int> OversizeUnanswered { get; } = [];

    /// <summary>Messages whose last frame was written.</summary>
    public int Sent => _sent;

    /// <summary>Upgrades the mock refused (credentials wrong on purpose, a resume of a session still attached).</summary>
    public int Refused => _refused;

    /// <summary>Connections the mock ended before they had sent what they meant to: each was followed by a new one.</summary>
    public int EndedByMock => _endedByMock;

    /// <summary>Connections the client dropped without a close frame.</summary>
    public int Dropped => _dropped;

    public async Task RunAsync()
    {
        mock.Transcript.Appended += Count;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync)));
        }
        finally
        {
            mock.Transcript.Appended -= Count;
        }
    }

    /// <summary>How many messages of each kind were sent, e.g. <c>mutation 45012, bytes 11987, ...</c>.</summary>
    public string Tally() =>
        string.Join(", ", _sources.OrderByDescending(s => s.Value).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value}")));

    /// <summary>Counts the client messages the mock records, which is what the run's target is measured in.</summary>
    private void Count(TranscriptEntry entry)
    {
        if (entry is FrameRecorded { Direction: Direction.ClientToServer })
        {
            Interlocked.Increment(ref _recorded);
        }
    }

    private async Task WorkAsync()
    {
        while (Volatile.Read(ref _recorded) < FrameTarget)
        {
            var number = Interlocked.Increment(ref _next);
            var random = new Random(FuzzSeed.Mix(seed, number));
            var endpoint = target.Endpoint(mock, random, _learned);
            var connection = await FuzzConnection.OpenAsync(number, endpoint.Url, endpoint.Configure, chattyKeepAlive: random.Next(8) == 0, endpoint.FirstText);
            if (connection is null)
            {
                Interlocked.Increment(ref _refused);
                continue;
            }

            Connections.Add(connection);
            await using (connection)
            {
                await SendAllAsync(connection, random, endpoint);
            }
        }
    }

    private async Task SendAllAsync(FuzzConnection connection, Random random, FuzzEndpoint endpoint)
    {
        var generator = new FrameGenerator(random, target.RealFrames, target.Keys, maxMessageBytes);
        var planned = random.Next(4) == 0 ? random.Next(1, 30) : random.Next(100, 5000);
        for (var i = 0; i < planned && Volatile.Read(ref _recorded) < FrameTarget; i++)
        {
            var frame = endpoint.Filter(generator.Next());
            var before = connection.Sent.Count;
            var open = await connection.SendAsync(frame);
            if (connection.Sent.Count > before)
            {
                Interlocked.Increment(ref _sent);
                _sources.AddOrUpdate(frame.Source, 1, (_, n) => n + 1);
            }

            if (!open)
            {
                Interlocked.Increment(ref _endedByMock);
                return;
            }

            if (frame.Source == FrameGenerator.OversizeSource)
            {
                // The mock records the first bytes and closes with 1009 (MockHostOptions.MaxMessageBytes).
                Interlocked.Increment(ref _endedByMock);
                if (!await connection.EndedAsync())
                {
                    OversizeUnanswered.Add(connection.Number);
                }

                return;
            }
        }

        if (random.Next(20) == 0)
        {
            connection.Abort();
            Interlocked.Increment(ref _dropped);
        }
        else if (!await connection.CloseAsync() && !connection.Ended)
        {
            CloseUnanswered.Add(connection.Number);
        }
    }
}
