namespace Conformance.Testcontainers;

/// <summary>The <c>conformance serve</c> command line a <see cref="ConformanceConfiguration"/> stands for.</summary>
internal static class ServeCommandLine
{
    /// <summary>
    /// <c>serve &lt;protocol&gt; --host &lt;address&gt; --port &lt;n&gt; [--scenario &lt;file&gt;] [--option name=value]...</c>:
    /// every address and the fixed <see cref="ConformanceBuilder.ServePort"/> behind a published port, or 127.0.0.1 and
    /// a free port in the host's network.
    /// </summary>
    public static IEnumerable<string> Arguments(ConformanceConfiguration configuration)
    {
        yield return "serve";
        yield return configuration.Protocol ?? throw new InvalidOperationException("No protocol was set.");
        yield return "--host";
        yield return configuration.HostNetwork ? "127.0.0.1" : "0.0.0.0";
        yield return "--port";
        yield return configuration.HostNetwork ? "0" : ConformanceBuilder.ServePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (configuration.Scenario is { } scenario)
        {
            yield return "--scenario";
            yield return ScenarioPath(scenario);
        }

        foreach (var (name, value) in configuration.MockOptions)
        {
            yield return "--option";
            yield return $"{name}={value}";
        }
    }

    /// <summary>Where the scenario file goes in the container: its own name under <see cref="ConformanceBuilder.ScenarioDirectory"/>.</summary>
    public static string ScenarioPath(string scenario) => $"{ConformanceBuilder.ScenarioDirectory}/{Path.GetFileName(scenario)}";
}
