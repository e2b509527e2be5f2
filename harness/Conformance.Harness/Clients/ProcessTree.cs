using System.Globalization;
using System.Runtime.InteropServices;

namespace Conformance.Harness.Clients;

/// <summary>
/// Signals a process and all of its descendants. The client runs as the leader of its own session (via
/// <c>setsid</c>), so its process group reaches every child that did not leave it; descendants found in
/// <c>/proc</c> are signalled too, which catches those that did. A descendant that left both (a daemon in a session
/// of its own whose parent exited, now a child of init) still carries the client's environment: every process whose
/// environment holds the client's <see cref="TagVariable"/> value is part of the tree.
/// </summary>
internal static partial class ProcessTree
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Set in each client's environment to a value of its own, so its descendants can be told by it.</summary>
    public const string TagVariable = "CONFORMANCE_CLIENT_TAG";

    public static bool IsLinux => OperatingSystem.IsLinux();

    public static void Signal(int rootPid, int signal, string? tag = null)
    {
        var targets = Descendants(rootPid, tag).Prepend(rootPid).ToList();
        _ = Kill(-rootPid, signal);
        foreach (var pid in targets)
        {
            _ = Kill(pid, signal);
        }
    }

    /// <summary>
    /// Live processes in the tree under <paramref name="rootPid"/> (excluding it), plus its process group, plus every
    /// process whose environment holds <see cref="TagVariable"/>=<paramref name="tag"/>.
    /// </summary>
    public static IReadOnlyList<int> Descendants(int rootPid, string? tag = null)
    {
        var parents = new Dictionary<int, (int Parent, int Group)>();
        var tagged = new HashSet<int>();
        var marker = tag is null ? null : System.Text.Encoding.ASCII.GetBytes($"{TagVariable}={tag}\0");
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
                    if (marker is not null && pid != Environment.ProcessId && Carries(dir, marker))
                    {
                        tagged.Add(pid);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }

        var found = new HashSet<int>(parents.Where(p => p.Value.Group == rootPid && p.Key != rootPid).Select(p => p.Key));
        found.UnionWith(tagged);
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

    /// <summary>Whether the process's environment (NUL-separated, as it was at exec) holds <paramref name="marker"/>.</summary>
    private static bool Carries(string dir, byte[] marker)
    {
        try
        {
            var environment = File.ReadAllBytes(Path.Combine(dir, "environ"));
            var at = environment.AsSpan().IndexOf(marker);
            // The entry must start the block or follow a NUL, so a longer name that ends in the tag's does not count.
            return at == 0 || (at > 0 && environment[at - 1] == 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
