using System.Text.Json.Nodes;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// The event catalogue (digest §2, from the documentation's events and backend_events pages): each template renders a
/// one-event array <c>[{a, p, s}]</c> for the hosted room (or "dashboard" for account events), with seeded data.
/// </summary>
internal sealed class PlugDjEvents(PlugDjOptions options, PlugDjWorld world)
{
    private readonly Dictionary<string, Func<JsonNode?>> _params = [];

    /// <summary>Every event template, in catalogue order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "advance", "chat", "chatDelete", "vote", "grab", "userJoin", "userLeave", "userUpdate", "djListUpdate", "djListCycle",
        "djListLocked", "modSkip", "earn", "levelUp", "notify", "plugMaintenanceAlert", "plugMaintenance", "plugMessage",
        "killSession", "floodChat", "rateLimit", "ban",
    ];

    public JsonArray Render(string name)
    {
        var catalogue = Catalogue();
        if (!catalogue.TryGetValue(name, out var param))
        {
            throw new ArgumentException($"Unknown plugdj template '{name}'. Known: {string.Join(", ", catalogue.Keys)}.", nameof(name));
        }

        var dashboard = name is "earn" or "ack" or "ban" or "killSession" or "plugMaintenance" or "plugMaintenanceAlert" or "plugMessage" or "levelUp" or "notify";
        return Event(name, param(), dashboard ? "dashboard" : options.Room);
    }

    public static JsonArray Event(string action, JsonNode? param, string slug) =>
        [new JsonObject { ["a"] = action, ["p"] = param, ["s"] = slug }];

    private Dictionary<string, Func<JsonNode?>> Catalogue()
    {
        if (_params.Count > 0)
        {
            return _params;
        }

        JsonObject Mod() => new() { ["m"] = "moderator", ["mi"] = 4613422 };
        _params["advance"] = () => new JsonObject
        {
            ["c"] = world.NewUser()["id"]!.GetValue<int>(),
            ["d"] = new JsonArray(),
            ["h"] = $"{world.Next():x8}-0000-4000-8000-{world.Next():x12}",
            ["m"] = world.NewMedia(),
            ["p"] = world.Next(),
            ["t"] = "2015-07-25 12:00:00.000000",
        };
        _params["chat"] = () =>
        {
            var user = world.NewUser();
            var uid = user["id"]!.GetValue<int>();
            return new JsonObject { ["message"] = "hello &amp; welcome", ["un"] = user["username"]!.GetValue<string>(), ["cid"] = $"{uid}-{1437829673000 + world.Next()}", ["uid"] = uid, ["sub"] = 0 };
        };
        _params["chatDelete"] = () => new JsonObject { ["c"] = $"{world.MyId}-1437829673001", ["mi"] = 4613422 };
        _params["vote"] = () => new JsonObject { ["i"] = world.NewUser()["id"]!.GetValue<int>(), ["v"] = world.Next() % 2 == 0 ? 1 : -1 };
        _params["grab"] = () => world.NewUser()["id"]!.GetValue<int>();
        _params["userJoin"] = () => world.NewUser();
        _params["userLeave"] = () => world.NewUser()["id"]!.GetValue<int>();
        _params["userUpdate"] = () => new JsonObject { ["i"] = world.NewUser()["id"]!.GetValue<int>(), ["level"] = 12 };
        _params["djListUpdate"] = () => new JsonArray(world.NewUser()["id"]!.GetValue<int>(), world.NewUser()["id"]!.GetValue<int>());
        _params["djListCycle"] = () => Merge(Mod(), new JsonObject { ["f"] = true });
        _params["djListLocked"] = () => Merge(Mod(), new JsonObject { ["c"] = false, ["f"] = true });
        _params["modSkip"] = Mod;
        _params["earn"] = () => new JsonObject { ["xp"] = 1200, ["pp"] = 340, ["level"] = 7 };
        _params["levelUp"] = () => 8;
        _params["notify"] = () => new JsonObject { ["action"] = "levelUp", ["id"] = world.Next(), ["timestamp"] = "2015-07-25 12:00:00", ["value"] = "8" };
        _params["plugMaintenanceAlert"] = () => 15;
        _params["plugMaintenance"] = () => new JsonObject();
        _params["plugMessage"] = () => "plug.dj will be back shortly";
        _params["killSession"] = () => new JsonObject();
        _params["floodChat"] = () => new JsonObject();
        _params["rateLimit"] = () => new JsonObject();
        _params["ban"] = () => new JsonObject { ["t"] = "ban", ["d"] = "h", ["r"] = 1 };
        return _params;
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
