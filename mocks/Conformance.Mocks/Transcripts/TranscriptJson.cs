using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Transcripts;

/// <summary>Writes a transcript as a JSON array, one object per entry with its kind, index and time in milliseconds.</summary>
public static class TranscriptJson
{
    public static JsonArray ToJson(IEnumerable<TranscriptEntry> entries)
    {
        var array = new JsonArray();
        foreach (var entry in entries)
        {
            array.Add(ToJson(entry));
        }

        return array;
    }

    public static string Write(IEnumerable<TranscriptEntry> entries, bool indented = true) =>
        ToJson(entries).ToJsonString(new JsonSerializerOptions(JsonText.Options) { WriteIndented = indented });

    public static JsonObject ToJson(TranscriptEntry entry)
    {
        var json = new JsonObject
        {
            ["index"] = entry.Index,
            ["atMs"] = Math.Round(entry.At.TotalMilliseconds, 3),
            ["kind"] = entry.GetType().Name,
        };
        switch (entry)
        {
            case ConnectionOpened e:
                json["connection"] = e.Connection;
                json["endpoint"] = e.Endpoint;
                json["path"] = e.Path;
                json["query"] = e.Query;
                json["headers"] = new JsonObject(e.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));
                break;
            case ConnectionRefused e:
                json["endpoint"] = e.Endpoint;
                json["path"] = e.Path;
                json["status"] = e.Status;
                json["reason"] = e.Reason;
                break;
            case FrameRecorded e:
                json["connection"] = e.Connection;
                json["direction"] = e.Direction == Direction.ClientToServer ? "client" : "server";
                json["type"] = e.Kind == FrameKind.Text ? "text" : "binary";
                json[e.Text is null ? "hex" : "text"] = e.Display;
                if (e.Wire is not null)
                {
                    json["wire"] = e.Wire;
                }
                if (e.Decisions.Count > 0)
                {
                    json["note"] = e.Note;
                    json["decisions"] = new JsonArray(e.Decisions.Select(d => (JsonNode?)d.Kind.ToString()).ToArray());
                }

                break;
            case ControlFrameRecorded e:
                json["connection"] = e.Connection;
                json["direction"] = e.Direction == Direction.ClientToServer ? "client" : "server";
                json["type"] = e.IsPong ? "pong" : "ping";
                json["hex"] = "0x" + Convert.ToHexString(e.Payload);
                break;
            case WireFaultSent e:
                json["connection"] = e.Connection;
                json["fault"] = e.Fault;
                json["detail"] = e.Detail;
                json["origin"] = e.Origin;
                break;
            case TcpReleased e:
                json["connection"] = e.Connection;
                json["byClient"] = e.ByClient;
                break;
            case ChaosSet e:
                json["chaos"] = e.Settings.Shape();
                json["seed"] = e.Settings.Seed;
                break;
            case ChaosApplied e:
                json["channel"] = e.Event.Channel;
                json["message"] = e.Event.Message;
                json["action"] = e.Event.Action.ToString().ToLowerInvariant();
                if (e.Event.Action == Chaos.ChaosAction.Delay)
                {
                    json["delayMs"] = e.Event.Delay.TotalMilliseconds;
                }

                break;
            case WireFaultsSet e:
                json["faults"] = e.Settings.ToString();
                json["seed"] = e.Settings.Seed;
                break;
            case FrameHeld e:
                json["connection"] = e.Connection;
                json["session"] = e.Session;
                json["text"] = e.Display;
                json["origin"] = e.Origin;
                break;
            case ConnectionClosed e:
                json["connection"] = e.Connection;
                json["by"] = e.By.ToString();
                json["code"] = e.Code;
                json["reason"] = e.Reason;
                if (e.Stall is { } stall)
                {
                    json["stall"] = new JsonObject
                    {
                        ["messageBytes"] = stall.MessageBytes,
                        ["unsentBytes"] = stall.UnsentBytes,
                        ["timeoutMs"] = stall.Timeout.TotalMilliseconds,
                        ["description"] = stall.Describe(),
                    };
                }

                break;
            case UdpPeerOpened e:
                json["channel"] = e.Channel;
                json["endpoint"] = e.Endpoint;
                json["remote"] = e.Remote;
                break;
            case DatagramRecorded e:
                json["channel"] = e.Channel;
                json["direction"] = e.Direction == Direction.ClientToServer ? "client" : "server";
                json["size"] = e.Payload.Length;
                json["hex"] = e.Display;
                if (e.Fate != Channels.DatagramFate.Delivered)
                {
                    json["fate"] = e.Fate.ToString();
                }

                break;
            case DatagramFaultsSet e:
                json["endpoint"] = e.Endpoint;
                json["faults"] = e.Settings.ToString();
                json["seed"] = e.Settings.Seed;
                break;
            case HttpExchange e:
                json["method"] = e.Method;
                json["path"] = e.Path;
                json["query"] = e.Query;
                json["requestHeaders"] = new JsonObject(e.RequestHeaders.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));
                json["requestBody"] = e.RequestBody;
                json["status"] = e.Status;
                json["responseBody"] = e.ResponseBody;
                if (e.ResponseHeaders.Count > 0)
                {
                    // Kept only by a recording proxy, so a mock's transcripts stay as they were.
                    json["responseHeaders"] = new JsonObject(e.ResponseHeaders.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));
                }

                json["route"] = e.Route;
                if (e.Fault is { } fault)
                {
                    json["fault"] = Hosting.HttpFaultNames.Of(fault);
                }

                break;
            case ProcessStarted e:
                json["command"] = e.Command;
                json["pid"] = e.ProcessId;
                break;
            case ProcessOutput e:
                json["stream"] = e.Stream == OutputStream.Stdout ? "stdout" : "stderr";
                json["line"] = e.Line;
                break;
            case ProcessOutputDropped e:
                json["stream"] = e.Stream == OutputStream.Stdout ? "stdout" : "stderr";
                json["droppedBytes"] = e.Bytes;
                json["note"] = e.Describe();
                break;
            case ProcessExited e:
                json["exitCode"] = e.ExitCode;
                json["stoppedByHarness"] = e.StoppedByHarness;
                json["killed"] = e.Killed;
                break;
            case MockFault e:
                json["message"] = e.Message;
                json["detail"] = e.Detail;
                break;
            case StepStarted e:
                json["step"] = e.Step;
                json["description"] = e.Description;
                break;
            default:
                break;
        }

        return json;
    }
}
