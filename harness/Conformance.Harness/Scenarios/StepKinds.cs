
namespace Conformance.Harness.Scenarios;

/// <summary>Every step kind of the engine, found once by reflection: each non-abstract <see cref="StepKind{TStep}"/> in this assembly.</summary>
public static class StepKinds
{
    private static readonly IReadOnlyList<StepKind> Kinds = typeof(StepKind).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(StepKind)))
        .Select(t => (StepKind)Activator.CreateInstance(t, nonPublic: true)!)
        .OrderBy(k => k.Name, StringComparer.Ordinal)
        .ToList();

    private static readonly Dictionary<Type, StepKind> ByStepType = Kinds.ToDictionary(StepType);

    /// <summary>All kinds, by name.</summary>
    public static IReadOnlyList<StepKind> All => Kinds;

    public static IEnumerable<string> Names => Kinds.Select(k => k.Name);

    public static StepKind? Find(string name) => Kinds.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));

    /// <summary>The kind a step record belongs to.</summary>
    public static StepKind Of(Step step) =>
        ByStepType.TryGetValue(step.GetType(), out var kind)
            ? kind
            : throw new InvalidOperationException($"No step kind reads or runs {step.GetType().Name}.");

    private static Type StepType(StepKind kind)
    {
        for (var type = kind.GetType(); type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(StepKind<>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        throw new InvalidOperationException($"Step kind {kind.GetType().Name} must derive from StepKind<TStep>.");
    }
}
