using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Handoff.Validation.Schemas.Compiled;

/// <summary>
/// Compiles a normalised draft-07 schema (as evaluated by JsonSchema.Net) into a <see cref="SchemaNode"/>
/// tree. It covers every draft-07 assertion except references: a schema using <c>$ref</c>, <c>$id</c>,
/// or another dialect's <c>$schema</c> is not compiled (null), and JsonSchema.Net evaluates it alone.
/// Keywords draft-07 does not define are ignored, exactly as JsonSchema.Net's draft-07 dialect ignores
/// them, and annotation keywords never affect a verdict.
/// </summary>
internal static class SchemaCompiler
{
    private const string Draft07 = "http://json-schema.org/draft-07/schema#";

    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$comment", "title", "description", "default", "examples", "readOnly", "writeOnly", "contentEncoding", "contentMediaType",
        // Only reachable through $ref, which is not compiled.
        "definitions",
    };

    private static readonly HashSet<string> NotCompiled = new(StringComparer.Ordinal) { "$ref", "$id" };

    // ECMAScript-compatible and compiled, as JsonSchema.Net builds them; shared because schemas repeat the same patterns.
    private static readonly ConcurrentDictionary<string, Regex> Regexes = new(StringComparer.Ordinal);

    /// <returns>The compiled tree, or null when the schema uses something only JsonSchema.Net evaluates.</returns>
    public static SchemaNode? TryCompile(JsonElement schema, FormatRegistry formats)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$schema", out var dialect)
            && !(dialect.ValueKind == JsonValueKind.String && dialect.ValueEquals(Draft07)))
        {
            return null;
        }

        try
        {
            return Compile(schema, formats, root: true, depth: 0);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything unexpected in a schema JsonSchema.Net accepted: it evaluates that schema alone.
            return null;
        }
    }

    private static SchemaNode Compile(JsonElement schema, FormatRegistry formats, bool root, int depth)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return SchemaNode.True;
            case JsonValueKind.False:
                return SchemaNode.False;
            case JsonValueKind.Object when depth <= 512:
                break;
            default:
                throw new NotCompilableException();
        }

        var node = new SchemaNode();
        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case "$schema" when root:
                    break;
                case "type":
                    node.Types = Types(value);
                    break;
                case "properties":
                    node.Properties = new PropertyMap(value.EnumerateObject().Select(p => (p.Name, Sub(p.Value))).ToList());
                    break;
                case "additionalProperties":
                    node.AdditionalProperties = Sub(value);
                    break;
                case "patternProperties":
                    node.PatternProperties = value.EnumerateObject().Select(p => (Regex(p.Name), Sub(p.Value))).ToArray();
                    break;
                case "required":
                    node.Required = value.EnumerateArray().Select(r => (r.GetString()!, -1)).ToArray();
                    break;
                case "minProperties":
                    node.MinProperties = Count(value);
                    break;
                case "maxProperties":
                    node.MaxProperties = Count(value);
                    break;
                case "dependencies":
                    node.Dependencies = value.EnumerateObject()
                        .Select(d => d.Value.ValueKind == JsonValueKind.Array
                            ? (d.Name, (SchemaNode?)null, d.Value.EnumerateArray().Select(r => r.GetString()!).ToArray())
                            : (d.Name, Sub(d.Value), (string[]?)null))
                        .ToArray();
                    break;
                case "propertyNames":
                    node.PropertyNames = Sub(value);
                    break;
                case "items" when value.ValueKind == JsonValueKind.Array:
                    node.TupleItems = value.EnumerateArray().Select(Sub).ToArray();
                    break;
                case "items":
                    node.Items = Sub(value);
                    break;
                case "additionalItems":
                    // Only meaningful after a tuple "items"; JsonSchema.Net ignores it otherwise.
                    if (schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
                    {
                        node.AdditionalItems = Sub(value);
                    }

                    break;
                case "minItems":
                    node.MinItems = Count(value);
                    break;
                case "maxItems":
                    node.MaxItems = Count(value);
                    break;
                case "uniqueItems":
                    node.UniqueItems = value.ValueKind == JsonValueKind.True;
                    break;
                case "contains":
                    node.Contains = Sub(value);
                    break;
                case "minLength":
                    node.MinLength = Count(value);
                    break;
                case "maxLength":
                    node.MaxLength = Count(value);
                    break;
                case "pattern":
                    node.Pattern = Regex(value.GetString()!);
                    break;
                case "format":
                    node.Format = formats.Get(value.GetString()!);
                    break;
                case "minimum":
                    node.Minimum = Bound(value);
                    break;
                case "maximum":
                    node.Maximum = Bound(value);
                    break;
                case "exclusiveMinimum":
                    node.ExclusiveMinimum = Bound(value);
                    break;
                case "exclusiveMaximum":
                    node.ExclusiveMaximum = Bound(value);
                    break;
                case "multipleOf":
                    node.MultipleOf = value.Clone();
                    break;
                case "enum":
                    node.Enum = new EnumValues(value.EnumerateArray().Select(v => v.Clone()).ToList());
                    break;
                case "const":
                    node.Const = value.Clone();
                    break;
                case "allOf":
                    node.AllOf = value.EnumerateArray().Select(Sub).ToArray();
                    break;
                case "anyOf":
                    node.AnyOf = value.EnumerateArray().Select(Sub).ToArray();
                    break;
                case "oneOf":
                    node.OneOf = value.EnumerateArray().Select(Sub).ToArray();
                    break;
                case "not":
                    node.Not = Sub(value);
                    break;
                case "if":
                    node.If = Sub(value);
                    break;
                case "then":
                    node.Then = Sub(value);
                    break;
                case "else":
                    node.Else = Sub(value);
                    break;
                case var name when NotCompiled.Contains(name) || name == "$schema":
                    throw new NotCompilableException();
                case var name when Annotations.Contains(name):
                    break;
                default:
                    // Not a draft-07 keyword: JsonSchema.Net's draft-07 dialect treats it as an annotation.
                    break;
            }
        }

        if (node.Required is { } required && node.Properties is { } properties)
        {
            node.Required = required.Select(r => (r.Name, properties.IndexOf(r.Name))).ToArray();
        }

        if (node.If is null)
        {
            // then/else without if never apply.
            node.Then = null;
            node.Else = null;
        }

        node.Seal();
        return node;

        SchemaNode Sub(JsonElement child) => Compile(child, formats, root: false, depth + 1);
    }

    private static JsonTypes Types(JsonElement value)
    {
        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Aggregate(JsonTypes.None, (all, t) => all | One(t.GetString()))
            : One(value.GetString());

        static JsonTypes One(string? name) => name switch
        {
            "null" => JsonTypes.Null,
            "boolean" => JsonTypes.Boolean,
            "object" => JsonTypes.Object,
            "array" => JsonTypes.Array,
            "number" => JsonTypes.Number,
            "string" => JsonTypes.String,
            "integer" => JsonTypes.Integer,
            _ => throw new NotCompilableException(),
        };
    }

    private static long Count(JsonElement value) => (long)Math.Truncate(value.GetDouble());

    private static NumberBound Bound(JsonElement value)
    {
        var raw = value.GetRawText();
        long? integer = raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && value.TryGetInt64(out var parsed) ? parsed : null;
        return new NumberBound(value.Clone(), integer);
    }

    private static Regex Regex(string pattern) =>
        Regexes.GetOrAdd(pattern, p => new Regex(p, RegexOptions.Compiled | RegexOptions.ECMAScript));

    private sealed class NotCompilableException : Exception;
}
