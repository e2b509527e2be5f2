using System.Globalization;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// The seed of a fuzz run: <c>CONFORMANCE_FUZZ_SEED</c> when set (to replay a run), else a fresh one. Every random
/// choice derives from it by <see cref="Mix(int, int)"/>, never from <see cref="HashCode"/>, whose values change from process to process.
/// </summary>
internal static class FuzzSeed
{
    /// <summary>The environment variable a failing run's seed is given back through.</summary>
    public const string Variable = "CONFORMANCE_FUZZ_SEED";

    private static readonly Lazy<int> Run = new(Read);

    /// <summary>The run's seed, the same for every protocol of one test run.</summary>
    public static int Value => Run.Value;

    /// <summary>A seed of its own for <paramref name="part"/> of the run (a protocol, then a connection).</summary>
    public static int Mix(int seed, int part)
    {
        // SplitMix64's finaliser: neighbouring inputs give unrelated outputs.
        var z = ((ulong)(uint)seed << 32 | (uint)part) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }

    /// <summary>A seed of its own for a named part of the run.</summary>
    public static int Mix(int seed, string part) => Mix(seed, part.Aggregate(17, (h, c) => unchecked((h * 31) + c)));

    private static int Read()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Random.Shared.Next();
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new FormatException($"{Variable}='{text}' is not an integer seed.");
    }
}
