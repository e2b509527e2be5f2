using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.Discodo;

namespace Conformance.Mocks.Tests;

/// <summary>Ids and ops a client gets wrong are answered or ignored, never thrown (both found by the mock fuzz tests).</summary>
[Category("discodo")]
public sealed class DiscodoMalformedIdTests
{
    [Test]
    public async Task GetState_VoiceChannelIdThatIsNoNumber_AnswersWithTheIdAsItCame()
    {
        // Given a bot whose VOICE_STATE_UPDATE named its channel "abc", and the voice client VOICE_SERVER_UPDATE made
        await using var mock = await DiscodoMock.StartAsync();
        await using var bot = await DiscodoBot.IdentifyAsync(mock);
        await bot.Client.SendTextAsync(DiscodoCodec.Format(DiscodoCodec.Ops.DiscordEvent, new JsonObject
        {
            ["t"] = "VOICE_STATE_UPDATE",
            ["d"] = new JsonObject { ["guild_id"] = "7", ["channel_id"] = "abc", ["user_id"] = bot.UserId },
        }));
        await bot.CreateVoiceClientAsync("7");

        // When
        await bot.Client.SendTextAsync("""{"op":"getState","d":{"guild_id":"7"}}""");
        var state = await bot.Client.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(state["d"]?["channel_id"]?.GetValue<string>(), Is.EqualTo("abc"), () => state.ToJsonString());
            Assert.That(mock.Host.Faults, Is.Empty);
        }
    }

    [Test]
    public async Task Op_WithAnEscapedLoneSurrogate_IsIgnoredAndTheConnectionStays()
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        await using var bot = await DiscodoBot.IdentifyAsync(mock);

        // When
        await bot.Client.SendTextAsync("""{"op":"\uD800","d":null}""");
        await bot.Client.SendTextAsync("""{"op":"HEARTBEAT","d":7}""");
        var ack = await bot.Client.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ack.ToJsonString(), Is.EqualTo("""{"op":"HEARTBEAT_ACK","d":7}"""));
            Assert.That(mock.Host.Faults, Is.Empty);
        }
    }
}
