using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary><c>--shard k/n</c>: a split of a suite that every CI runner computes alike, with each scenario in exactly one shard.</summary>
public sealed class ShardTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    public void Select_EveryShardOfN_HoldsEachScenarioExactlyOnce(int count)
    {
        // Given a built-in suite, in the order its files load
        var suite = TestScenarios.Suite("listenmoe");

        // When each of n shards selects its part
        var parts = Enumerable.Range(1, count).Select(k => new Shard(k, count).Select(suite)).ToList();

        // Then together they hold every scenario once, and the sizes differ by at most one
        var all = parts.SelectMany(p => p).Select(s => s.Id).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(all, Is.Unique);
            Assert.That(all.Order(StringComparer.Ordinal), Is.EqualTo(suite.Select(s => s.Id).Order(StringComparer.Ordinal)));
            Assert.That(parts.Max(p => p.Count) - parts.Min(p => p.Count), Is.LessThanOrEqualTo(1));
        }
    }

    [Test]
    public void Select_SameScenariosInAnotherOrder_SameSplit()
    {
        var suite = TestScenarios.Suite("plugdj");

        var forward = new Shard(2, 3).Select(suite).Select(s => s.Id);
        var backward = new Shard(2, 3).Select(suite.Reverse()).Select(s => s.Id);

        Assert.That(backward, Is.EqualTo(forward));
    }

    [TestCase("0/2")]
    [TestCase("3/2")]
    [TestCase("1/0")]
    [TestCase("1-2")]
    [TestCase("a/b")]
    [TestCase("-1/2")]
    public void Parse_NotKOfN_IsAnErrorThatShowsTheForm(string text)
    {
        var shard = Shard.Parse(text, out var error);

        Assert.That(shard, Is.Null);
        Assert.That(error, Is.EqualTo($"--shard '{text}': expected k/n with 1 <= k <= n, e.g. 1/2"));
    }

    [Test]
    public void Parse_KOfN_IsThatShard() => Assert.That(Shard.Parse("2/5", out _), Is.EqualTo(new Shard(2, 5)));
}
