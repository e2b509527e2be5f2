using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;

namespace Conformance.Testcontainers;

/// <summary>
/// Waits for serve's <c>ready</c> line and hands the announced endpoints to the <see cref="ConformanceContainer"/>. A
/// serve that exits instead (an unknown protocol, a bad option: exit 2 with the reason on stderr) ends the wait through
/// Testcontainers' running-state check, whose exception carries the container's output.
/// </summary>
internal sealed class UntilServeIsReady : IWaitUntil
{
    public async Task<bool> UntilAsync(IContainer container)
    {
        // Only this run's output: a restarted container repeats the announcement with new ports.
        var since = container.StoppedTime > container.CreatedTime ? container.StoppedTime : container.CreatedTime;
        var (stdout, _) = await container.GetLogsAsync(since, timestampsEnabled: false).ConfigureAwait(false);
        if (!ServeAnnouncement.TryParse(stdout, out var announcement))
        {
            return false;
        }

        if (container is ConformanceContainer conformance)
        {
            conformance.Announced = announcement;
        }

        return true;
    }
}
