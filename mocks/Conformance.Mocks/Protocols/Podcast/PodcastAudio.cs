using System.Security.Cryptography;
using System.Text;
using Conformance.Mocks.Transcripts;
using Sodium;

namespace Conformance.Mocks.Protocols.Podcast;

/// <summary>
/// Audio packets as discord-podcasts/documentation resources/audio.md lays them out: nonce(24) ‖ xsalsa20-poly1305
/// ciphertext (libsodium's secretbox) under the secret Hello gave, nonce first so any receiver can open it; plain audio
/// when there is no secret.
/// </summary>
public static class PodcastAudio
{
    /// <summary>Seals <paramref name="plain"/> with <paramref name="nonce"/> in front.</summary>
    public static byte[] Seal(byte[] plain, byte[] nonce, byte[] secret) => [.. nonce, .. SecretBox.Create(plain, nonce, secret)];

    /// <summary>The audio inside a packet, or null when it does not open with <paramref name="secret"/> nonce first.</summary>
    public static byte[]? Open(byte[] packet, byte[] secret)
    {
        if (packet.Length < PodcastCodec.NonceBytes + PodcastCodec.MacBytes)
        {
            return null;
        }

        try
        {
            return SecretBox.Open(packet[PodcastCodec.NonceBytes..], packet[..PodcastCodec.NonceBytes], secret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>What a packet is, as a decision for the transcript: sealed audio that opens, plain, too short, or one that does not open.</summary>
    public static DatagramDecision Inspect(byte[] packet, byte[]? secret)
    {
        if (secret is null)
        {
            return new DatagramDecision(DatagramDecisionKind.Plain, $"plain audio, {packet.Length} bytes (no secret was given)");
        }

        if (packet.Length < PodcastCodec.NonceBytes + PodcastCodec.MacBytes)
        {
            return new DatagramDecision(DatagramDecisionKind.TooShort,
                $"{packet.Length} bytes: shorter than a nonce and a MAC ({PodcastCodec.NonceBytes + PodcastCodec.MacBytes})");
        }

        return Open(packet, secret) is { } audio
            ? new DatagramDecision(DatagramDecisionKind.Opened, $"sealed, opens: {Describe(audio)}")
            : new DatagramDecision(DatagramDecisionKind.DoesNotOpen, $"{packet.Length} bytes that do not open with the secret, nonce first");
    }

    /// <summary>Audio as people read it: printable ASCII as text, else its size.</summary>
    public static string Describe(byte[] audio) =>
        audio.Length > 0 && audio.All(b => b is >= 0x20 and < 0x7F) ? $"\"{Encoding.ASCII.GetString(audio)}\"" : $"{audio.Length} bytes of audio";
}
