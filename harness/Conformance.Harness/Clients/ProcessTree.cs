using System.Globalization;
using System.Runtime.InteropServices;

namespace Conformance.Harness.Clients;

/// <summary>
/// Signals a process and all of its descendants. The client runs as the leader of its own session (via
/// <c>setsid</c>), so its process group reaches every child that did not leave it; descendants found in
/// <c>/proc</c> are signalled too, which catches those that did.
/// </summary>
internal static partial class ProcessTree
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static bool IsLinux => OperatingSystem.IsLinux();

    public static void Signal(int rootPid, int signal)
    {
        var targets = Descendants(rootPid).Prepend(rootPid).ToList();
        _ = Kill(-rootPid, signal);
        foreach (var pid in targets)
        {
            _ = Kill(pid, signal);
        }
    }

    /// <summary>Live processes in the tree under <paramref name="rootPid"/> (excluding it), plus its process group.</summary>
    public static IReadOnlyList<int> Descendants(int rootPid)
    {
        var parents = new Dictionary<int, (int Parent, int Group)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so parse after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z")
                {
                    parents[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }

        var found = new HashSet<int>(parents.Where(p => p.Value.Group == rootPid && p.Key != rootPid).Select(p => p.Key));
        var frontier = new Queue<int>([rootPid, .. found]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value.Parent == parent).Select(p => p.Key))
            {
                if (found.Add(child))
                {
                    frontier.Enqueue(child);
                }
            }
        }

        found.Remove(rootPid);
        return [.. found];
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
