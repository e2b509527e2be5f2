using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Images;

namespace Conformance.Testcontainers;

/// <summary>
/// Builds a <see cref="ConformanceContainer"/>: <c>conformance serve &lt;protocol&gt;</c> in a container of the repository's
/// Dockerfile image, waited on until it prints <c>ready</c>.
/// <code>
/// await using var mock = new ConformanceBuilder("conformance:local")
///     .WithProtocol("listenmoe")
///     .WithMockOption("heartbeatInterval", "250ms")
///     .Build();
/// await mock.StartAsync();
/// var gateway = mock.GetUrl("gateway");   // ws://127.0.0.1:32768/gateway_v2
/// </code>
/// </summary>
public sealed class ConformanceBuilder : ContainerBuilder<ConformanceBuilder, ConformanceContainer, ConformanceConfiguration>
{
    /// <summary>The port serve listens on inside the container, published on a random host port.</summary>
    public const ushort ServePort = 8080;

    /// <summary>Where <see cref="WithScenario"/> copies the scenario file inside the container.</summary>
    internal const string ScenarioDirectory = "/tmp/conformance";

    /// <summary>A builder for containers of <paramref name="image"/>, e.g. <c>conformance:local</c> built from the Dockerfile.</summary>
    /// <param name="image">Image name with tag. Its entry point must be the <c>conformance</c> CLI, as the Dockerfile's is.</param>
    public ConformanceBuilder(string image)
        : this(new DockerImage(image))
    {
    }

    /// <inheritdoc cref="ConformanceBuilder(string)"/>
    public ConformanceBuilder(IImage image)
        : this(new ConformanceConfiguration())
    {
        DockerResourceConfiguration = Init().WithImage(image).DockerResourceConfiguration;
    }

    private ConformanceBuilder(ConformanceConfiguration configuration)
        : base(configuration)
    {
        DockerResourceConfiguration = configuration;
    }

    /// <inheritdoc />
    protected override ConformanceConfiguration DockerResourceConfiguration { get; }

    /// <summary>The configuration so far, for tests of the command line without an engine.</summary>
    internal ConformanceConfiguration Configuration => DockerResourceConfiguration;

    /// <summary>The protocol to serve: <c>listenmoe</c>, <c>plugdj</c>, <c>nightingale</c>, <c>discodo</c> or <c>podcast</c>. Required.</summary>
    /// <exception cref="ArgumentException"><paramref name="protocol"/> is empty or not a protocol id's shape (lower case letters and digits).</exception>
    public ConformanceBuilder WithProtocol(string protocol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(protocol);
        if (!protocol.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException($"'{protocol}' is not a protocol id (lower case letters and digits, e.g. listenmoe).", nameof(protocol));
        }

        return Merge(DockerResourceConfiguration, new ConformanceConfiguration(protocol: protocol));
    }

    /// <summary>
    /// Takes the mock's settings from a scenario file's <c>mock:</c> block (its steps are not run): the file is copied
    /// into the container and passed as <c>--scenario</c>. Mock options set with <see cref="WithMockOption"/> apply over it.
    /// </summary>
    /// <param name="path">The scenario file on this machine; relative paths are resolved now, its existence checked at <see cref="Build"/>.</param>
    public ConformanceBuilder WithScenario(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Merge(DockerResourceConfiguration, new ConformanceConfiguration(scenario: Path.GetFullPath(path)));
    }

    /// <summary>
    /// Sets one mock option, as a scenario's <c>mock:</c> block would (<c>--option name=value</c>): the protocol's option
    /// name in camel case and its value as text, e.g. <c>("heartbeatInterval", "250ms")</c>; a JSON list or object for
    /// structured options. Repeatable; a later value of the same option wins. serve checks names and values, and exits
    /// with the reason (surfaced by <c>StartAsync</c>) when one is wrong.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds <c>=</c> or white space.</exception>
    public ConformanceBuilder WithMockOption(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Any(c => c == '=' || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"'{name}' is not a mock option name (no '=' or white space).", nameof(name));
        }

        return Merge(DockerResourceConfiguration, new ConformanceConfiguration(mockOptions: [new(name, value)]));
    }

    /// <summary>
    /// Runs the container in the engine host's network (<c>--network host</c>) instead of publishing a port: serve binds
    /// 127.0.0.1 on a free port of the host. For engines without a bridge network (<c>dockerd --bridge=none</c>), and
    /// the only way to reach UDP endpoints, whose ports are picked when the mock starts. For an engine on this machine
    /// (Linux, a local socket): the URLs are on this machine's loopback.
    /// </summary>
    public ConformanceBuilder WithHostNetwork() =>
        Merge(DockerResourceConfiguration, new ConformanceConfiguration(hostNetwork: true));

    /// <summary>
    /// The container, not yet started: <c>StartAsync</c> creates it, copies the scenario in, starts serve and waits up to
    /// a minute for its <c>ready</c> line (a wait strategy of your own, set with <c>WithWaitStrategy</c>, replaces that).
    /// </summary>
    /// <exception cref="ArgumentException">No protocol was set, or the scenario file does not exist.</exception>
    /// <exception cref="DockerUnavailableException">No Docker engine was found.</exception>
    public override ConformanceContainer Build()
    {
        Validate();
        var configuration = DockerResourceConfiguration;
        var builder = WithCommand([.. ServeCommandLine.Arguments(configuration)]);
        if (configuration.Scenario is { } scenario)
        {
            builder = builder.WithResourceMapping(new FileInfo(scenario), new FileInfo(ServeCommandLine.ScenarioPath(scenario)));
        }

        builder = configuration.HostNetwork
            ? builder.WithCreateParameterModifier(parameters => (parameters.HostConfig ??= new HostConfig()).NetworkMode = "host")
            : builder.WithPortBinding(ServePort, assignRandomHostPort: true);

        // Init sets a wait for the running state; a user's own strategy added after it is kept instead of ours.
        if ((configuration.WaitStrategies?.Count() ?? 0) <= 1)
        {
            builder = builder.WithWaitStrategy(Wait.ForUnixContainer()
                .AddCustomWaitStrategy(new UntilServeIsReady(), wait => wait.WithTimeout(TimeSpan.FromMinutes(1))));
        }

        return new ConformanceContainer(builder.DockerResourceConfiguration);
    }

    /// <inheritdoc />
    /// <remarks>The module's own settings are checked first, so their errors show even where no engine runs.</remarks>
    protected override void Validate()
    {
        if (DockerResourceConfiguration.Protocol is null)
        {
            throw new ArgumentException(
                "Call WithProtocol first: the protocol to serve (listenmoe, plugdj, nightingale, discodo or podcast).",
                nameof(ConformanceConfiguration.Protocol));
        }

        if (DockerResourceConfiguration.Scenario is { } scenario && !File.Exists(scenario))
        {
            throw new ArgumentException($"Scenario file not found: {scenario}", nameof(ConformanceConfiguration.Scenario));
        }

        base.Validate();
    }

    /// <inheritdoc />
    protected override ConformanceBuilder Clone(IResourceConfiguration<CreateContainerParameters> resourceConfiguration) =>
        Merge(DockerResourceConfiguration, new ConformanceConfiguration(resourceConfiguration));

    /// <inheritdoc />
    protected override ConformanceBuilder Clone(IContainerConfiguration resourceConfiguration) =>
        Merge(DockerResourceConfiguration, new ConformanceConfiguration(resourceConfiguration));

    /// <inheritdoc />
    protected override ConformanceBuilder Merge(ConformanceConfiguration oldValue, ConformanceConfiguration newValue) =>
        new(new ConformanceConfiguration(oldValue, newValue));
}
