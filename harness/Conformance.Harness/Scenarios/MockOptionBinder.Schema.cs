using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Conformance.Harness.Scenarios;

/// <summary>The <c>mock:</c> section of a protocol in JSON Schema terms: what the binder reads, said for editors.</summary>
public static partial class MockOptionBinder
{
    /// <summary>
    /// One schema property per option of <paramref name="optionsType"/>, shaped the way the binder reads its type,
    /// described by its <see cref="DescriptionAttribute"/> followed by its default (its value in
    /// <paramref name="defaults"/>), bounded by its <see cref="RangeAttribute"/>, and listing its
    /// <see cref="AllowedValuesAttribute"/> as an <c>enum</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">An option has no description, or a type the binder cannot read.</exception>
    public static JsonObject Schema(Type optionsType, object defaults)
    {
        var options = new JsonObject();
        foreach (var (name, property) in Properties(optionsType))
        {
            var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description is { Length: > 0 } text
                ? text
                : throw new InvalidOperationException(
                    $"{optionsType.Name}.{property.Name} has no [Description]: the scenario schema describes every mock option.");
            var value = property.GetValue(defaults);
            var option = Shape(property);
            option.Insert(0, "description", $"{description} Default: {DefaultText(value)}.");
            if (property.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                AddBound(option, "minimum", range.Minimum, int.MinValue, double.MinValue);
                AddBound(option, "maximum", range.Maximum, int.MaxValue, double.MaxValue);
            }

            option["default"] = DefaultJson(value);
            options[name] = option;
        }

        return options;
    }

    /// <summary>What <see cref="TryConvert"/> accepts for the property's type; kept beside it so that the two change together.</summary>
    private static JsonObject Shape(PropertyInfo property)
    {
        var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var orNull = AcceptsNull(property);
        JsonObject Types(params string[] names)
        {
            string[] all = orNull ? [.. names, "null"] : names;
            return new() { ["type"] = all.Length == 1 ? all[0] : new JsonArray([.. all.Select(n => JsonValue.Create(n))]) };
        }

        if (target.IsEnum)
        {
            var schema = Types("string");
            schema["enum"] = new JsonArray([.. Enum.GetNames(target).Select(n => JsonValue.Create(n))]);
            return schema;
        }

        if (target == typeof(string) && AllowedValues(property) is { } allowed)
        {
            var schema = Types("string");
            schema["enum"] = new JsonArray([.. allowed.Select(v => JsonValue.Create(v)), .. orNull ? new JsonNode?[] { null } : []]);
            return schema;
        }

        return target == typeof(JsonNode) ? new JsonObject()
            : target == typeof(TimeSpan) ? new() { ["$ref"] = orNull ? "#/definitions/optionalDuration" : "#/definitions/duration" }

            // Any scalar is read as its text, as YAML wrote it.
            : target == typeof(string) ? Types("string", "number", "boolean")
            : target == typeof(bool) ? Types("boolean")
            : target == typeof(int) || target == typeof(long) ? Types("integer")
            : target == typeof(double) ? Types("number")
            : throw new InvalidOperationException(
                $"{property.DeclaringType?.Name}.{property.Name} is a {property.PropertyType.Name}, which a mock option cannot be: " +
                "MockOptionBinder reads text, booleans, integers, numbers, durations, enums and JSON.");
    }

    private static void AddBound(JsonObject option, string key, object bound, int intLimit, double doubleLimit)
    {
        if (bound is int i && i != intLimit)
        {
            option[key] = i;
        }
        else if (bound is double d && d != doubleLimit)
        {
            option[key] = d;
        }
    }

    private static JsonNode? DefaultJson(object? value) => value switch
    {
        null => null,
        JsonNode json => json.DeepClone(),
        TimeSpan t => Durations.Format(t),
        bool b => b,
        int i => i,
        long l => l,
        double d => d,
        _ => value.ToString(),
    };

    private static string DefaultText(object? value) => value switch
    {
        null => "null",
        JsonNode json => json.ToJsonString(),
        TimeSpan t => Durations.Format(t),
        bool b => b ? "true" : "false",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
