using System.Collections.Concurrent;
using Conformance.Mocks.Protocols.PlugDj;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Templates are rendered from several threads at once, e.g. a control-API broadcast (on a Kestrel thread) beside a
/// scenario step; the first render of a fresh mock must be as safe as any other.
/// </summary>
[Category("plugdj")]
public sealed class PlugDjConcurrencyTests
{
    [Test]
    public async Task RenderTemplate_FirstUseFromManyThreadsAtOnce_KnowsEveryTemplate()
    {
        // Given fresh mocks, each rendered for the first time by several threads released together
        var failures = new ConcurrentBag<Exception>();
        for (var round = 0; round < 25; round++)
        {
            await using var mock = await PlugDjMock.StartAsync();
            using var start = new Barrier(8);

            // When
            var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    mock.RenderTemplate("ban", null);
                }
                catch (Exception ex)
                {
                    failures.Add(ex);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
        }

        // Then
        Assert.That(failures.Select(f => $"{f.GetType().Name}: {f.Message}").Distinct(), Is.Empty);
    }
}
