using Conformance.Harness.Scenarios;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>
/// Carries out one step. Actions act on the mock; expectations wait on the transcript for a matching entry within
/// their window and return a failure message (null when met). Frame and output expectations consume what they
/// match, so frames that arrive between steps are never lost.
/// </summary>
internal static class StepExecutor
{
    public static Task<string?> ExecuteAsync(Step step, RunContext context) => step switch
    {
        SendStep s => SendAsync(s, context),
        ExpectStep s => ExpectFramesAsync(s, context),
        ExpectConnectStep s => ExpectConnectAsync(s, context),
        ExpectCloseStep s => ExpectCloseAsync(s, context),
        ExpectSilenceStep s => ExpectSilenceAsync(s, context),
        ExpectAliveStep s => ExpectAliveAsync(s, context),
        ExpectOutputStep s => ExpectOutputAsync(s, context),
        ExpectHttpStep s => ExpectHttpAsync(s, context),
        WaitStep s => WaitAsync(s, context),
        CloseStep s => CloseAsync(s, context),
        DropStep => DropAsync(context),
        _ => throw new NotSupportedException($"No executor for step {step.GetType().Name}."),
    };

    private static async Task<string?> SendAsync(SendStep step, RunContext context)
    {
        if (Open(context) is not { } connection)
        {
            return NotConnected(context, "send");
        }

        var payload = step.Payload;
        var origin = $"step {context.StepNumber}";
        bool sent;
        if (payload.Templates is not null)
        {
            sent = await context.Mock.SendTemplatesAsync(connection, payload.Templates, Variables.Substitute(payload.With, context.Captures), origin)
                .ConfigureAwait(false);
        }
        else if (payload.Template is not null)
        {
            sent = await context.Mock.SendTemplateAsync(connection, payload.Template, Variables.Substitute(payload.With, context.Captures), origin)
                .ConfigureAwait(false);
        }
        else if (payload.Binary is not null)
        {
            sent = await connection.SendBinaryAsync(payload.Binary, origin).ConfigureAwait(false);
        }
        else
        {
            var text = payload.Json is not null
                ? JsonText.Write(Variables.Substitute(payload.Json, context.Captures))
                : Variables.Substitute(payload.Text!, context.Captures);
            sent = step.Fragments > 1
                ? await connection.SendFragmentedAsync(text, step.Fragments, origin).ConfigureAwait(false)
                : await connection.SendTextAsync(text, origin).ConfigureAwait(false);
        }

        return sent ? null : NotConnected(context, "send");
    }

    private static async Task<string?> ExpectConnectAsync(ExpectConnectStep step, RunContext context)
    {
        using var window = context.Window(step.Within);
        var opened = await context.Transcript.WaitForAsync<ConnectionOpened>(
            context.ConnectCursor,
            c => (step.Path is null || c.Path == step.Path) &&
                 step.Headers.All(h => c.Headers.TryGetValue(h.Key, out var v) && v == h.Value) &&
                 QueryMatches(step.Query, c.Query),
            window.Token).ConfigureAwait(false);
        if (opened is null)
        {
            var refused = context.Transcript.Snapshot().OfType<ConnectionRefused>().Where(r => r.Index >= context.ConnectCursor)
                .Select(r => $"refused {r.Path} with {r.Status}: {r.Reason}");
            var others = context.Transcript.Snapshot().OfType<ConnectionOpened>().Where(c => c.Index >= context.ConnectCursor)
                .Select(c => $"connection {c.Connection} to {c.Path}{c.Query} did not match");
            var seen = string.Join("; ", refused.Concat(others));
            return $"no client connection{(step.Path is null ? "" : " to " + step.Path)} within {Durations.Format(step.Within)}" +
                   (seen.Length > 0 ? $" ({seen})" : "") + Because(context);
        }

        context.ConnectCursor = opened.Index + 1;
        context.FrameCursor = Math.Max(context.FrameCursor, opened.Index + 1);
        context.Connection = context.Mock.Connections.First(c => c.Id == opened.Connection);

        // Scripted frames go after the mock's own opening (the welcome), never before it.
        try
        {
            await context.Connection.Opened.WaitAsync(window.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.Cancellation.IsCancellationRequested)
        {
            // The window closed or the client exited while the opening was under way; later steps report it.
        }

        return null;
    }

    private static async Task<string?> ExpectFramesAsync(ExpectStep step, RunContext context)
    {
        using var window = context.Window(step.Within);
        for (var matched = 0; matched < step.Count; matched++)
        {
            var frame = await context.Transcript.WaitForAsync<FrameRecorded>(
                context.FrameCursor, f => f.Direction == Direction.ClientToServer && FrameMatcher.Matches(step.Match, f), window.Token)
                .ConfigureAwait(false);
            if (frame is null)
            {
                var got = context.Transcript.Snapshot().OfType<FrameRecorded>()
                    .Where(f => f.Index >= context.FrameCursor && f.Direction == Direction.ClientToServer)
                    .Select(f => f.Display).Distinct().Take(5).ToList();
                return $"expected {step.Match}" + (step.Count > 1 ? $" {step.Count} times, got {matched}," : "") +
                       $" within {Durations.Format(step.Within)}; the client sent " +
                       (got.Count == 0 ? "nothing else" : string.Join(", ", got)) + Because(context);
            }

            context.FrameCursor = frame.Index + 1;
            foreach (var (name, path) in step.Captures)
            {
                context.Captures[name] = JsonPath.Select(JsonText.TryParse(frame.Text), path)?.DeepClone();
            }
        }

        return null;
    }

    private static async Task<string?> ExpectCloseAsync(ExpectCloseStep step, RunContext context)
    {
        if (context.Connection is not { } connection)
        {
            return NotConnected(context, "expect a close on");
        }

        using var window = context.Window(step.Within, stopOnExit: false);
        var closed = await context.Transcript.WaitForAsync<ConnectionClosed>(0, c => c.Connection == connection.Id, window.Token)
            .ConfigureAwait(false);
        if (closed is null)
        {
            return $"the client did not close connection {connection.Id} within {Durations.Format(step.Within)}" + Because(context);
        }

        if (closed.By != CloseInitiator.Client)
        {
            return $"connection {connection.Id} ended by {closed.By}, not by a client close frame";
        }

        return step.Code is { } code && closed.Code != code ? $"the client closed with {closed.Code}, expected {code}" : null;
    }

    private static async Task<string?> ExpectSilenceAsync(ExpectSilenceStep step, RunContext context)
    {
        using var window = context.Window(step.For, stopOnExit: false);
        var frame = await context.Transcript.WaitForAsync<FrameRecorded>(
            context.FrameCursor,
            f => f.Direction == Direction.ClientToServer && !(step.IgnoreHeartbeats && context.Module.IsHeartbeat(f)),
            window.Token).ConfigureAwait(false);
        context.FrameCursor = context.Transcript.Count;
        return frame is null ? null : $"expected silence for {Durations.Format(step.For)}, but the client sent {frame.Display} at {frame.At.TotalMilliseconds:0}ms";
    }

    private static async Task<string?> ExpectAliveAsync(ExpectAliveStep step, RunContext context)
    {
        if (Open(context) is not { } connection)
        {
            return NotConnected(context, "stay connected on");
        }

        using var window = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation, connection.Closed, context.Client.ExitedToken);
        try
        {
            await Task.Delay(step.For, window.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            var closed = context.Transcript.Snapshot().OfType<ConnectionClosed>().FirstOrDefault(c => c.Connection == connection.Id);
            var how = closed is null ? "" : $"connection {connection.Id} ended ({closed.By}{(closed.Code is { } c ? $" {c}" : "")}) at {closed.At.TotalMilliseconds:0}ms";
            return $"the client did not stay connected for {Durations.Format(step.For)}: " + how + Because(context);
        }
    }

    private static async Task<string?> ExpectOutputAsync(ExpectOutputStep step, RunContext context)
    {
        using var window = context.Window(step.Within);
        var line = await context.Transcript.WaitForAsync<ProcessOutput>(
            context.OutputCursor,
            o => (step.Stream is null || (step.Stream == "stdout") == (o.Stream == OutputStream.Stdout)) && step.Pattern.IsMatch(o.Line),
            window.Token).ConfigureAwait(false);
        if (line is null)
        {
            // Output can still be in flight when the process exits; look once more before failing.
            line = context.Transcript.Snapshot().OfType<ProcessOutput>()
                .FirstOrDefault(o => o.Index >= context.OutputCursor && step.Pattern.IsMatch(o.Line));
        }

        if (line is null)
        {
            return $"no output line matched /{step.Pattern}/ within {Durations.Format(step.Within)}" + Because(context);
        }

        context.OutputCursor = line.Index + 1;
        return null;
    }

    /// <summary>
    /// Waits for matching HTTP exchanges. HTTP and socket events share one order, the order the mock saw them in: the
    /// request must come after the frames and connections earlier steps matched, and connections and frames expected
    /// after this step must come after it, so a script can say "fetch the token, then connect" or "join after the ack".
    /// </summary>
    private static async Task<string?> ExpectHttpAsync(ExpectHttpStep step, RunContext context)
    {
        using var window = context.Window(step.Within);
        context.HttpCursor = Math.Max(context.HttpCursor, context.FrameCursor);
        for (var matched = 0; matched < step.Count; matched++)
        {
            var exchange = await context.Transcript.WaitForAsync<HttpExchange>(
                context.HttpCursor,
                e => e.Path == step.Path && (step.Method is null || e.Method == step.Method) && (step.Status is null || e.Status == step.Status),
                window.Token).ConfigureAwait(false);
            if (exchange is null)
            {
                var seen = context.Transcript.Snapshot().OfType<HttpExchange>().Where(e => e.Index >= context.HttpCursor)
                    .Select(e => $"{e.Method} {e.Path} -> {e.Status}").Distinct().Take(6).ToList();
                return $"expected {step.Describe()["expect ".Length..]}" + (step.Count > 1 ? $", got {matched}" : "") + "; the client made " +
                       (seen.Count == 0 ? "no other requests" : string.Join(", ", seen)) + Because(context);
            }

            context.HttpCursor = exchange.Index + 1;
            context.ConnectCursor = Math.Max(context.ConnectCursor, exchange.Index + 1);
            context.FrameCursor = Math.Max(context.FrameCursor, exchange.Index + 1);
        }

        return null;
    }

    private static async Task<string?> WaitAsync(WaitStep step, RunContext context)
    {
        await Task.Delay(step.Duration, context.Cancellation).ConfigureAwait(false);
        return null;
    }

    private static async Task<string?> CloseAsync(CloseStep step, RunContext context)
    {
        if (Open(context) is not { } connection)
        {
            return NotConnected(context, "close");
        }

        await connection.CloseAsync(step.Code, step.Reason).ConfigureAwait(false);
        return null;
    }

    private static Task<string?> DropAsync(RunContext context)
    {
        if (Open(context) is not { } connection)
        {
            return Task.FromResult<string?>(NotConnected(context, "drop"));
        }

        connection.Drop();
        return Task.FromResult<string?>(null);
    }

    private static bool QueryMatches(IReadOnlyDictionary<string, string> expected, string query)
    {
        if (expected.Count == 0)
        {
            return true;
        }

        var actual = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        return expected.All(e => actual.TryGetValue(e.Key, out var values) && values.Contains(e.Value));
    }

    private static Mocks.Hosting.MockConnection? Open(RunContext context) => context.Connection is { IsOpen: true } c ? c : null;

    private static string NotConnected(RunContext context, string action) =>
        context.Connection is null
            ? $"cannot {action}: the client has not connected (an expect_connect step comes first)" + Because(context)
            : $"cannot {action}: connection {context.Connection.Id} has ended" + Because(context);

    private static string Because(RunContext context) => context.WhyCutShort() is { } why ? "; " + why : "";
}
