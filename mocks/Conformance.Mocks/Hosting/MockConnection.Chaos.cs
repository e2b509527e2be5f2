using Conformance.Mocks.Chaos;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>One message on its way out, as the send path carries it.</summary>
internal sealed record OutgoingMessage(byte[] Payload, FrameKind Kind, string? Text, int Parts, string? Origin);

/// <summary>Seeded chaos on the connection's messages: delays, copies, swaps, drops and resets (see <see cref="ChaosSettings"/>).</summary>
public sealed partial class MockConnection
{
    /// <summary>How long a message held back for reordering waits for a next one before it goes alone.</summary>
    private static readonly TimeSpan ReorderWait = TimeSpan.FromMilliseconds(200);

    private int _messages;
    private OutgoingMessage? _reordered;

    /// <summary>The chaos for the next message, counting it; null when there is none. Called under the send lock.</summary>
    private ChaosEvent? ChaosFor() => _wire?.Chaos() is { } plan ? plan.Decide(Id, ++_messages, udp: false) : null;

    /// <summary>
    /// Sends a message under its chaos event, recorded first. A drop or reset counts as sent: the message is lost with
    /// the connection, as it would be on a network that failed, and a scripted step that sent it goes on.
    /// </summary>
    private async Task<bool> SendWithChaosAsync(ChaosEvent chaos, OutgoingMessage message)
    {
        _transcript.Append(new ChaosApplied(chaos));
        switch (chaos.Action)
        {
            case ChaosAction.Drop:
                Drop();
                return true;
            case ChaosAction.Reset:
                Reset();
                return true;
            case ChaosAction.Reorder:
                // A second hold lets the first one go now: at most one message is ever held back.
                var sent = await SendReorderedAsync().ConfigureAwait(false);
                _reordered = message;
                Schedule(ReorderWait, () => FlushReorderedAsync(message));
                return sent;
            case ChaosAction.Duplicate:
                return await SendNowAsync(message).ConfigureAwait(false) && await SendNowAsync(message).ConfigureAwait(false) &&
                    await SendReorderedAsync().ConfigureAwait(false);
            default:
                await Task.Delay(chaos.Delay, _transcript.Time, Closed).ConfigureAwait(false);
                return IsOpen && await SendNowAsync(message).ConfigureAwait(false) && await SendReorderedAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends the message held back for reordering, if any, after the one just sent. Called under the send lock.</summary>
    private async Task<bool> SendReorderedAsync()
    {
        if (_reordered is not { } held)
        {
            return true;
        }

        _reordered = null;
        return !SendsMessages || await SendNowAsync(held).ConfigureAwait(false);
    }

    /// <summary>Sends a held message alone when no other came after it in time.</summary>
    private async Task FlushReorderedAsync(OutgoingMessage message)
    {
        await _sendGate.WaitAsync(reply: false).ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(_reordered, message) && SendsMessages)
            {
                await SendReorderedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }
}
