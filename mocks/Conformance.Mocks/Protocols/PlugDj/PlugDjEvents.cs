using System.Text.Json.Nodes;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// The event catalogue (plugcommunity/documentation api/events and backend_events pages; specs/plugdj/README.md): each template renders a
/// one-event array <c>[{a, p, s}]</c> for the hosted room (or "dashboard" for account events), with seeded data.
/// </summary>
internal sealed class PlugDjEvents
{
    private readonly PlugDjOptions _options;
    private readonly PlugDjWorld _world;

    // Built once, before any render: renders may run on several threads at once (scenario steps, control API).
    private readonly Dictionary<string, Func<JsonNode?>> _params;

    public PlugDjEvents(PlugDjOptions options, PlugDjWorld world)
    {
        _options = options;
        _world = world;
        _params = Catalogue();
    }

    /// <summary>Every event template, in catalogue order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "advance", "chat", "chatDelete", "vote", "grab", "userJoin", "userLeave", "userUpdate", "djListUpdate", "djListCycle",
        "djListLocked", "modSkip", "earn", "levelUp", "notify", "plugMaintenanceAlert", "plugMaintenance", "plugMessage",
        "killSession", "floodChat", "rateLimit", "ban",
    ];

    public JsonArray Render(string name)
    {
        if (!_params.TryGetValue(name, out var param))
        {
            throw new ArgumentException($"Unknown plugdj template '{name}'. Known: {string.Join(", ", _params.Keys)}.", nameof(name));
        }

        var dashboard = name is "earn" or "ack" or "ban" or "killSession" or "plugMaintenance" or "plugMaintenanceAlert" or "plugMessage" or "levelUp" or "notify";
        return PlugDjCodec.ToJson(new PlugDjEvent(name, param(), dashboard ? PlugDjCodec.Dashboard : _options.Room));
    }

    private Dictionary<string, Func<JsonNode?>> Catalogue()
    {
        var world = _world;
        var catalogue = new Dictionary<string, Func<JsonNode?>>(StringComparer.Ordinal);
        JsonObject Mod() => new() { ["m"] = "moderator", ["mi"] = 4613422 };
        catalogue["advance"] = () => new JsonObject
        {
            ["c"] = world.NewUser()["id"]!.GetValue<int>(),
            ["d"] = new JsonArray(),
            ["h"] = $"{world.Next():x8}-0000-4000-8000-{world.Next():x12}",
            ["m"] = world.NewMedia(),
            ["p"] = world.Next(),
            ["t"] = "2015-07-25 12:00:00.000000",
        };
        catalogue["chat"] = () =>
        {
            var user = world.NewUser();
            var uid = user["id"]!.GetValue<int>();
            return new JsonObject { ["message"] = "hello &amp; welcome", ["un"] = user["username"]!.GetValue<string>(), ["cid"] = $"{uid}-{1437829673000 + world.Next()}", ["uid"] = uid, ["sub"] = 0 };
        };
        catalogue["chatDelete"] = () => new JsonObject { ["c"] = $"{world.MyId}-1437829673001", ["mi"] = 4613422 };
        catalogue["vote"] = () => new JsonObject { ["i"] = world.NewUser()["id"]!.GetValue<int>(), ["v"] = world.Next() % 2 == 0 ? 1 : -1 };
        catalogue["grab"] = () => world.NewUser()["id"]!.GetValue<int>();
        catalogue["userJoin"] = () => world.NewUser();
        catalogue["userLeave"] = () => world.NewUser()["id"]!.GetValue<int>();
        catalogue["userUpdate"] = () => new JsonObject { ["i"] = world.NewUser()["id"]!.GetValue<int>(), ["level"] = 12 };
        catalogue["djListUpdate"] = () => new JsonArray(world.NewUser()["id"]!.GetValue<int>(), world.NewUser()["id"]!.GetValue<int>());
        catalogue["djListCycle"] = () => Merge(Mod(), new JsonObject { ["f"] = true });
        catalogue["djListLocked"] = () => Merge(Mod(), new JsonObject { ["c"] = false, ["f"] = true });
        catalogue["modSkip"] = Mod;
        catalogue["earn"] = () => new JsonObject { ["xp"] = 1200, ["pp"] = 340, ["level"] = 7 };
        catalogue["levelUp"] = () => 8;
        catalogue["notify"] = () => new JsonObject { ["action"] = "levelUp", ["id"] = world.Next(), ["timestamp"] = "2015-07-25 12:00:00", ["value"] = "8" };
        catalogue["plugMaintenanceAlert"] = () => 15;
        catalogue["plugMaintenance"] = () => new JsonObject();
        catalogue["plugMessage"] = () => "plug.dj will be back shortly";
        catalogue["killSession"] = () => new JsonObject();
        catalogue["floodChat"] = () => new JsonObject();
        catalogue["rateLimit"] = () => new JsonObject();
        catalogue["ban"] = () => new JsonObject { ["t"] = "ban", ["d"] = "h", ["r"] = 1 };
        return catalogue;
    }

    private static JsonObject Merge(JsonObject a, JsonObject b)
    {
        foreach (var (key, value) in b)
        {
            a[key] = value?.DeepClone();
        }

        return a;
    }
}
