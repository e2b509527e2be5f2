using Conformance.Harness.Monitors;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.ListenMoe;

/// <summary>
/// Checks every client frame of a LISTEN.moe run: JSON text (seed §Receiving data: frames are JSON objects),
/// the <c>{op, d?}</c> envelope, only op 9 and op 2 (seed §Sending OP Codes, op 2 in §Receiving data), and nothing
/// before op 0 (seed §Heartbeating: the server speaks first). On gateway v1 the client speaks first instead: one op 0
/// auth, before anything else (LISTEN-moe/documentation docs/ws/spec.md at 168f268 §Authenticating).
/// </summary>
internal sealed class ListenMoeFrameMonitor : IRuleMonitor
{
    private static readonly int[] ClientOps = [ListenMoeCodec.Ops.TrackRequest, ListenMoeCodec.Ops.Heartbeat];

    public IEnumerable<RuleFinding> Check(MonitorContext context)
    {
        var v1 = (context.MockOptions as ListenMoeOptions)?.GatewayVersion == ListenMoeGateway.V1;
        var frames = context.Entries.OfType<FrameRecorded>().ToList();
        var sent = frames.Where(f => f.Direction == Direction.ClientToServer).ToList();
        if (sent.Count == 0)
        {
            yield break;
        }

        // Gateway v1: each connection's first frame is its auth; it is judged by its own rule and may precede the welcome.
        var firsts = sent.GroupBy(f => f.Connection).Select(c => c.First()).ToHashSet();
        var auths = v1 ? firsts.Where(IsAuth).ToHashSet() : [];
        var notJson = new List<FrameRecorded>();
        var badShape = new List<FrameRecorded>();
        var unknownOp = new List<FrameRecorded>();
        foreach (var frame in sent)
        {
            var text = frame.Kind == FrameKind.Text ? frame.Text : null;
            switch (ListenMoeCodec.Classify(text))
            {
                case ListenMoeFrameShape.NotJson:
                    notJson.Add(frame);
                    break;
                case ListenMoeFrameShape.NotAMessage:
                    badShape.Add(frame);
                    break;
                case ListenMoeFrameShape.Message when !ClientOps.Contains(ListenMoeCodec.Op(text)!.Value) && !(v1 && ListenMoeCodec.Op(text) == ListenMoeCodec.Ops.Auth):
                    unknownOp.Add(frame);
                    break;
                default:
                    break;
            }
        }

        yield return FrameFindings.Of("listenmoe.frame.json", notJson, sent.Count, "not a JSON text frame");
        yield return FrameFindings.Of("listenmoe.frame.shape", badShape, sent.Count, "not an object with an integer 'op' and an object 'd'");
        yield return FrameFindings.Of(
            "listenmoe.frame.known-ops", unknownOp, sent.Count, v1 ? "an op clients do not send on gateway v1 (only 0, 2 and 9)" : "an op clients do not send on gateway v2 (only 2 and 9)");

        var early = sent.Where(f => !auths.Contains(f) && !frames.Any(w =>
            w.Connection == f.Connection && w.Direction == Direction.ServerToClient && w.At <= f.At && ListenMoeCodec.Op(w.Text) == ListenMoeCodec.Ops.Welcome)).ToList();
        yield return FrameFindings.Of("listenmoe.order.welcome-first", early, sent.Count, "sent before the op 0 welcome");

        if (v1)
        {
            // Every connection opens with one auth; an op 0 anywhere else is a second auth (or a first one sent late).
            var wrong = firsts.Where(f => !auths.Contains(f))
                .Concat(sent.Where(f => !firsts.Contains(f) && ListenMoeCodec.Op(f.Text) == ListenMoeCodec.Ops.Auth))
                .OrderBy(f => f.Index).ToList();
            yield return FrameFindings.Of(
                "listenmoe.v1.auth-first", wrong, sent.Count,
                "not the one op 0 auth a gateway v1 connection opens with");
        }
    }

    private static bool IsAuth(FrameRecorded frame) =>
        frame.Kind == FrameKind.Text && ListenMoeCodec.Parse(frame.Text) is { } m && ListenMoeCodec.Auth(m) is not null;
}
