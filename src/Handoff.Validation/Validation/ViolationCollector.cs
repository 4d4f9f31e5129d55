using System.Globalization;
using System.Text.Json;
using Handoff.Validation.Schemas;
using Json.Schema;

namespace Handoff.Validation.Validation;

/// <summary>
/// Turns JSON Schema output into the violations a person needs: one per real problem, at the instance
/// path where it is, in plain words. Passing alternatives of a oneOf/anyOf and annotations are
/// dropped; when every alternative fails, either the type mismatch is summarised ("expected string or
/// integer") or the alternative that matched the value's type explains what is wrong inside it.
/// </summary>
internal sealed class ViolationCollector(CompiledSchema schema, JsonElement instance)
{
    private const int MaxEnumValuesShown = 12;

    public List<Found> Collect(EvaluationResults root)
    {
        var found = new List<Found>();
        Visit(root, found);
        return found.DistinctBy(f => (f.Path, f.Message)).ToList();
    }

    internal readonly record struct Found(string Path, string Message, string Keyword, bool IsPropertyName);

    private void Visit(EvaluationResults node, List<Found> output)
    {
        if (node.IsValid)
        {
            return;
        }

        var before = output.Count;
        var instancePath = node.InstanceLocation.ToString();
        if (node.Errors is { Count: > 0 } errors)
        {
            foreach (var (keyword, message) in errors)
            {
                output.Add(Describe(node, instancePath, keyword, message));
            }
        }

        if (node.Details is { Count: > 0 } details)
        {
            foreach (var group in details.Where(d => !d.IsValid).GroupBy(AlternativeGroup))
            {
                if (group.Key is null)
                {
                    foreach (var child in group)
                    {
                        Visit(child, output);
                    }
                }
                else
                {
                    VisitAlternatives(group.ToList(), instancePath, output);
                }
            }
        }

        if (output.Count == before)
        {
            output.Add(new Found(instancePath, Unexplained(node), "oneOf", false));
        }
    }

    private void VisitAlternatives(List<EvaluationResults> branches, string instancePath, List<Found> output)
    {
        var outcomes = branches.Select(branch =>
        {
            var found = new List<Found>();
            Visit(branch, found);
            return found;
        }).ToList();

        var typeMatched = outcomes.Where(f => !f.Any(v => v.Keyword == "type" && v.Path == instancePath)).ToList();
        if (typeMatched.Count > 0)
        {
            output.AddRange(typeMatched.MinBy(f => f.Count)!);
            return;
        }

        var expected = branches.SelectMany(b => ExpectedTypes(b)).Distinct().ToList();
        output.Add(new Found(instancePath, $"expected {JoinOr(expected)}, got {Describe(Value(instancePath))}", "type", false));
    }

    /// <summary>Children produced by one oneOf/anyOf keyword share its path (…/oneOf/0, …/oneOf/1).</summary>
    private static string? AlternativeGroup(EvaluationResults child)
    {
        var path = child.EvaluationPath.ToString();
        var slash = path.LastIndexOf('/');
        if (slash <= 0)
        {
            return null;
        }

        var parent = path[..slash];
        return parent.EndsWith("/oneOf", StringComparison.Ordinal) || parent.EndsWith("/anyOf", StringComparison.Ordinal) || parent is "/oneOf" or "/anyOf" ? parent : null;
    }

    private Found Describe(EvaluationResults node, string path, string keyword, string message)
    {
        var schemaNode = SchemaAt(node);
        var value = Value(path);
        switch (keyword)
        {
            case "" when node.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal) || node.EvaluationPath.ToString() == "/additionalProperties":
                return new Found(path, $"property '{JsonPointers.LastSegment(path)}' is not allowed here: the schema does not define it (a typo, wrong indentation, or a field of another API version?)", "additionalProperties", true);
            case "":
                return new Found(path, "no value is allowed here", "false", false);
            case "type":
                var expected = ExpectedTypes(node).ToList();
                return new Found(path, expected.Count > 0 ? $"expected {JoinOr(expected)}, got {Describe(value)}" : Lower(message), keyword, false);
            case "enum" when schemaNode?.TryGetProperty("enum", out var options) == true && options.ValueKind == JsonValueKind.Array:
                var shown = options.EnumerateArray().Where(o => o.ValueKind != JsonValueKind.Null).Take(MaxEnumValuesShown).Select(o => o.GetRawText()).ToList();
                var more = options.GetArrayLength() > MaxEnumValuesShown ? ", …" : "";
                return new Found(path, $"must be one of {string.Join(", ", shown)}{more}; got {Describe(value)}", keyword, false);
            case "required" when schemaNode?.TryGetProperty("required", out var required) == true && required.ValueKind == JsonValueKind.Array && value is { ValueKind: JsonValueKind.Object } obj:
                var missing = required.EnumerateArray().Select(r => r.GetString()).Where(r => r is not null && !obj.TryGetProperty(r, out _)).ToList();
                return new Found(path, missing.Count == 1 ? $"missing required property '{missing[0]}'" : $"missing required properties {string.Join(", ", missing.Select(m => $"'{m}'"))}", keyword, false);
            case "pattern" when schemaNode?.TryGetProperty("pattern", out var pattern) == true:
                return new Found(path, $"{Describe(value)} does not match the pattern {pattern.GetString()}", keyword, false);
            case "format" when schemaNode?.TryGetProperty("format", out var format) == true && !message.StartsWith("Value does not match format", StringComparison.Ordinal):
                return new Found(path, message, keyword, false);
            case "format" when schemaNode?.TryGetProperty("format", out var format) == true:
                return new Found(path, $"{Describe(value)} is not a valid {format.GetString()}", keyword, false);
            default:
                return new Found(path, Lower(message), keyword, false);
        }
    }

    private string Unexplained(EvaluationResults node)
    {
        var schemaNode = SchemaAt(node);
        if (schemaNode?.TryGetProperty("oneOf", out _) == true)
        {
            return $"{Describe(Value(node.InstanceLocation.ToString()))} matches more than one of the allowed alternatives (oneOf); it must match exactly one";
        }

        return schemaNode?.TryGetProperty("not", out _) == true ? "the value matches a schema it must not match ('not')" : "the value does not match the schema";
    }

    private IEnumerable<string> ExpectedTypes(EvaluationResults node)
    {
        var types = SchemaAt(node) is { } subschema && subschema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString() ?? "") : [type.GetString() ?? ""]
            : [];
        var list = types.Where(t => t.Length > 0).ToList();

        // Kubernetes schemas allow null almost everywhere; listing it adds noise unless it is the only choice.
        return list.Count > 1 ? list.Where(t => t != "null") : list;
    }

    /// <summary>
    /// The subschema that produced a result. The evaluation path is used (not SchemaLocation, which
    /// JsonSchema.Net 8 reports wrongly under <c>items</c>); it is a plain path into the document unless
    /// it went through a <c>$ref</c>, in which case the generic message is used.
    /// </summary>
    private JsonElement? SchemaAt(EvaluationResults node)
    {
        var path = node.EvaluationPath.ToString();
        return path.Contains("/$ref", StringComparison.Ordinal) ? null : JsonPointers.Navigate(schema.Document, path);
    }

    private JsonElement? Value(string path) => JsonPointers.Navigate(instance, path);

    private static string Describe(JsonElement? value) => value switch
    {
        null => "nothing",
        { ValueKind: JsonValueKind.String } s => $"string \"{Shorten(s.GetString()!)}\"",
        { ValueKind: JsonValueKind.Number } n => $"number {n.GetRawText()}",
        { ValueKind: JsonValueKind.True or JsonValueKind.False } b => $"boolean {b.GetRawText()}",
        { ValueKind: JsonValueKind.Null } => "null",
        { ValueKind: JsonValueKind.Array } => "an array",
        _ => "an object",
    };

    private static string JoinOr(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "another type",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1],
    };

    private static string Lower(string message) =>
        message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1]) ? char.ToLower(message[0], CultureInfo.InvariantCulture) + message[1..] : message;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
