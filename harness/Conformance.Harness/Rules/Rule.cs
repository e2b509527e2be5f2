namespace Conformance.Harness.Rules;

/// <summary>RFC 2119 strength of a rule: a broken MUST fails a scenario, a broken SHOULD warns (fails under --strict).</summary>
public enum RuleLevel
{
    Must,
    Should,
}

/// <summary>A client obligation, with the sentence and the seed section it rests on.</summary>
public sealed record Rule(string Id, RuleLevel Level, string Text, string Source);
