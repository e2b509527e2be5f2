using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Sets a protocol's option properties from a scenario's <c>mock:</c> section. Keys are the property names in
/// camelCase; values are converted by property type (durations for TimeSpan), kept within the property's
/// <see cref="RangeAttribute"/>, and, for text with a closed set of values, one of its <see cref="AllowedValuesAttribute"/>
/// (compared as written). Works for any protocol's option type; <c>MockOptionBinder.Schema.cs</c> says the same in JSON
/// Schema terms.
/// </summary>
public static partial class MockOptionBinder
{
    public static IEnumerable<string> Names(Type optionsType) => Properties(optionsType).Keys.Order(StringComparer.Ordinal);

    /// <summary>Checks every setting against <paramref name="optionsType"/>; returns the problems found.</summary>
    public static IEnumerable<ScenarioError> Validate(Type optionsType, IEnumerable<MockSetting> settings)
    {
        var properties = Properties(optionsType);
        foreach (var setting in settings)
        {
            if (!properties.TryGetValue(setting.Name, out var property))
            {
                yield return new ScenarioError(
                    setting.Mark, $"unknown mock option '{setting.Name}'" + Suggest.Hint(setting.Name, [.. Names(optionsType)]));
            }
            else if (!TryConvert(property, setting, out _, out var problem))
            {
                yield return new ScenarioError(setting.ValueMark, $"mock option '{setting.Name}': {problem}");
            }
        }
    }

    /// <summary>Applies validated settings to <paramref name="options"/>.</summary>
    public static void Apply(object options, IEnumerable<MockSetting> settings)
    {
        var properties = Properties(options.GetType());
        foreach (var setting in settings)
        {
            var property = properties[setting.Name];
            if (!TryConvert(property, setting, out var value, out var problem))
            {
                throw new InvalidOperationException($"{setting.Mark}: mock option '{setting.Name}': {problem}");
            }

            property.SetValue(options, value);
        }
    }

    /// <summary>The settable options of <paramref name="type"/> by scenario name, in declaration order.</summary>
    private static Dictionary<string, PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..], StringComparer.Ordinal);

    private static bool TryConvert(PropertyInfo property, MockSetting setting, out object? value, out string problem)
    {
        var type = property.PropertyType;
        value = null;
        problem = "";
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var text = setting.Scalar;
        if (target == typeof(JsonNode))
        {
            value = setting.Structure ?? (text is null ? null : JsonValue.Create(text));
            return true;
        }

        if (text is null)
        {
            // A list or mapping is not null, even for an option that may be null.
            if (setting.Structure is null && AcceptsNull(property))
            {
                return true;
            }

            problem = $"expected {Describe(target)}, found {(setting.Structure is null ? "null" : "a structure")}";
            return false;
        }

        var ok = true;
        if (target == typeof(string))
        {
            value = text;
        }
        else if (target == typeof(bool))
        {
            ok = bool.TryParse(text, out var b);
            value = b;
        }
        else if (target == typeof(int))
        {
            ok = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i);
            value = i;
        }
        else if (target == typeof(long))
        {
            ok = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l);
            value = l;
        }
        else if (target == typeof(double))
        {
            ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d);
            value = d;
        }
        else if (target == typeof(TimeSpan))
        {
            ok = Durations.TryParse(text, out var t);
            value = t;
        }
        else if (target.IsEnum)
        {
            ok = Enum.TryParse(target, text, ignoreCase: true, out var e);
            value = e;
        }
        else
        {
            ok = false;
        }

        if (!ok)
        {
            problem = $"expected {Describe(target)}, found '{text}'";
        }
        else if (property.GetCustomAttribute<RangeAttribute>() is { } range && !range.IsValid(value))
        {
            problem = $"expected {Describe(target)} {Bounds(range)}, found '{text}'";
            ok = false;
        }
        else if (AllowedValues(property) is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
        {
            problem = $"unknown value '{text}'" + Suggest.Hint(text, allowed);
            ok = false;
        }

        return ok;
    }

    /// <summary>The values a text option may take (its <see cref="AllowedValuesAttribute"/>), or null when any text will do.</summary>
    private static string[]? AllowedValues(PropertyInfo property) =>
        property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed ? [.. allowed.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")] : null;

    /// <summary>True for <c>TimeSpan?</c> and the like, and for reference types declared nullable (<c>string?</c>).</summary>
    private static bool AcceptsNull(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null ||
        (!property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable);

    /// <summary><c>from 1 to 10</c>, or <c>of at least 1</c> when the upper bound is the type's largest value.</summary>
    private static string Bounds(RangeAttribute range) =>
        range.Maximum is int.MaxValue or double.MaxValue ? $"of at least {range.Minimum}"
        : range.Minimum is int.MinValue or double.MinValue ? $"of at most {range.Maximum}"
        : $"from {range.Minimum} to {range.Maximum}";

    private static string Describe(Type type) =>
        type == typeof(TimeSpan) ? "a duration such as 250ms or 1.5s"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "an integer"
        : type == typeof(double) ? "a number"
        : type == typeof(string) ? "text"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type))
        : type.Name;
}
