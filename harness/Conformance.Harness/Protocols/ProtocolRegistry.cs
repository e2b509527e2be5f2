using Conformance.Harness.Protocols.Discodo;
using Conformance.Harness.Protocols.ListenMoe;
using Conformance.Harness.Protocols.Nightingale;
using Conformance.Harness.Protocols.PlugDj;
using Conformance.Harness.Protocols.Podcast;

namespace Conformance.Harness.Protocols;

/// <summary>The protocols the harness knows. Adding a protocol is adding a module here; the engine does not change.</summary>
public static class ProtocolRegistry
{
    private static readonly IReadOnlyList<IProtocolModule> Modules = [new ListenMoeModule(), new PlugDjModule(), new DiscodoModule(), new NightingaleModule(), new PodcastModule()];

    public static IReadOnlyList<IProtocolModule> All => Modules;

    public static IEnumerable<string> Ids => Modules.Select(m => m.Id);

    public static IProtocolModule? Find(string id) =>
        Modules.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));
}
