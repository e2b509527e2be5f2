using Conformance.Harness.Running;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// One kind of scenario step, all in one place: its YAML key, how its body reads (with <c>path:line:col</c> errors), the
/// JSON Schema of that body, and how it runs. Kinds are found by reflection (<see cref="StepKinds"/>), so adding a step
/// kind is adding one file under <c>Scenarios/Steps/</c>.
/// </summary>
public abstract class StepKind
{
    /// <summary>The YAML key, e.g. <c>expect_connect</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One sentence for the schema and the docs, e.g. "Wait for the client to open a connection."</summary>
    public abstract string Summary { get; }

    /// <summary>
    /// The JSON Schema (draft-07) of the step's body as JSON text; references point into the scenario schema's
    /// <c>#/definitions</c>. The engine adds the keys every step shares (<c>on</c>, and <c>rule</c> for expectations).
    /// </summary>
    public abstract string Schema { get; }

    /// <summary>Expectations can be unmet and so report against a rule; actions cannot.</summary>
    public virtual bool IsExpectation => false;

    /// <summary>
    /// Whether the step only prepares the mock (a refusal, faults), so that at the start of a scenario it is done before the
    /// client is started and cannot race its first connection.
    /// </summary>
    public virtual bool RunsBeforeClient => false;

    /// <summary>Whether the step acts on one connection or channel, so it accepts <c>on:</c>.</summary>
    public virtual bool TakesChannel => false;

    /// <summary>Reads the body; null after reporting every problem through <paramref name="syntax"/>.</summary>
    internal abstract Step? Read(StepSyntax syntax);

    /// <summary>Carries the step out: null when done or met, else why not (an unmet expectation, an action that could not act).</summary>
    internal abstract Task<string?> RunAsync(Step step, RunContext context);
}

/// <summary>A step kind whose steps are records of type <typeparamref name="TStep"/>.</summary>
internal abstract class StepKind<TStep> : StepKind
    where TStep : Step
{
    internal sealed override Task<string?> RunAsync(Step step, RunContext context) => RunAsync((TStep)step, context);

    protected abstract Task<string?> RunAsync(TStep step, RunContext context);
}
