using System.Buffers.Binary;
using Conformance.Mocks.Wire;

namespace Conformance.Mocks.Tests.Wire;

/// <summary>Raw server frames as RFC 6455 §5.2 lays them out, including what a library never writes.</summary>
[Category("wire")]
public sealed class WireFramesTests
{
    [TestCase(0, 2)]
    [TestCase(125, 2)]
    [TestCase(126, 4)]
    [TestCase(65535, 4)]
    [TestCase(65536, 10)]
    public void Frame_PayloadLength_UsesTheShortestLengthEncoding(int length, int header)
    {
        // Given / When
        var frame = WireFrames.Frame(WireFrames.Binary, new byte[length]);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frame, Has.Length.EqualTo(header + length));
            Assert.That(frame[0], Is.EqualTo(0x82), "FIN and opcode 0x2");
            Assert.That(frame[1] & 0x80, Is.Zero, "a server frame is not masked");
            var announced = header switch
            {
                2 => frame[1],
                4 => BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(2)),
                _ => (long)BinaryPrimitives.ReadUInt64BigEndian(frame.AsSpan(2)),
            };
            Assert.That(announced, Is.EqualTo(length));
        }
    }

    [Test]
    public void Frame_ReservedBitsAndUnknownOpcode_AreWrittenAsGiven()
    {
        // Given / When
        var frame = WireFrames.Frame(0x3, "x"u8, fin: false, reserved: 5);

        // Then: no FIN, RSV1 and RSV3, opcode 3
        Assert.That(frame[0], Is.EqualTo(0b0101_0011));
    }

    [Test]
    public void Fragments_SizesWithTheLastRepeatingAndPingsBetween_SplitTheMessageInOrder()
    {
        // Given a 10-byte message in fragments of 1, 1 then 4
        var message = "0123456789"u8.ToArray();

        // When
        var frames = WireFrames.Fragments(WireFrames.Text, message, [1, 1, 4], pingBetween: true);

        // Then: text "0", ping 1, continuation "1", ping 2, continuation "2345", ping 3, final continuation "6789"
        var data = frames.Where(f => (f[0] & 0x0F) != WireFrames.Ping).ToList();
        var pings = frames.Where(f => (f[0] & 0x0F) == WireFrames.Ping).Select(f => System.Text.Encoding.ASCII.GetString(f, 2, f[1])).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(data.Select(f => f[0] & 0x0F), Is.EqualTo(new[] { 0x1, 0x0, 0x0, 0x0 }));
            Assert.That(data.Select(f => (f[0] & 0x80) != 0), Is.EqualTo(new[] { false, false, false, true }), "FIN on the last only");
            Assert.That(data.SelectMany(f => f[2..]), Is.EqualTo(message));
            Assert.That(data.Select(f => f.Length - 2), Is.EqualTo(new[] { 1, 1, 4, 4 }));
            Assert.That(pings, Is.EqualTo(new[] { "1", "2", "3" }));
            Assert.That(frames.Select(f => f[0] & 0x0F), Is.EqualTo(new[] { 0x1, 0x9, 0x0, 0x9, 0x0, 0x9, 0x0 }), "a ping between each two");
        }
    }

    [Test]
    public void CloseFrame_CodeOrNone_CarriesTheCodeAsGivenOrNothing()
    {
        // Given / When
        var with = WireFrames.CloseFrame(1005);
        var without = WireFrames.CloseFrame(null);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(with[..2], Is.EqualTo(new byte[] { 0x88, 2 }));
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(with.AsSpan(2)), Is.EqualTo(1005));
            Assert.That(without, Is.EqualTo(new byte[] { 0x88, 0 }));
        }
    }

    [Test]
    public void Oversize_FillsTheFirstEmptyStringToTheSize()
    {
        // Given / When
        var frame = new OversizeFault(300, """{"op":10,"d":{"padding":""}}""").Writes().Single().Bytes;
        var payload = System.Text.Encoding.UTF8.GetString(frame, 4, frame.Length - 4);

        // Then: exactly 300 bytes of valid JSON, an op 10 with 272 x's
        using (Assert.EnterMultipleScope())
        {
            Assert.That(payload, Has.Length.EqualTo(300));
            Assert.That(System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("d").GetProperty("padding").GetString(), Is.EqualTo(new string('x', 272)));
        }
    }
}
