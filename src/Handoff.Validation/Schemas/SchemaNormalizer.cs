using System.Text.Json.Nodes;

namespace Handoff.Validation.Schemas;

/// <summary>
/// Prepares a Kubernetes JSON schema for evaluation, in place:
/// <list type="bullet">
/// <item>strict mode adds <c>additionalProperties: false</c> to every object schema that lists
/// properties and does not say otherwise (what openapi2jsonschema's <c>--strict</c> does), except where
/// <c>x-kubernetes-preserve-unknown-fields</c> allows anything, so strictness does not depend on which
/// schema variant a location serves;</item>
/// <item>OpenAPI-only keywords of CRD schemas become JSON Schema: <c>nullable</c>,
/// <c>x-kubernetes-int-or-string</c>, <c>x-kubernetes-embedded-resource</c>;</item>
/// <item>a <c>$schema</c> the evaluator does not know (kubernetes-json-schema writes
/// <c>http://json-schema.org/schema#</c>; draft-04) is dropped and draft-04 boolean
/// <c>exclusiveMinimum/Maximum</c> become draft-06 numbers;</item>
/// <item><c>oneOf</c>/<c>anyOf</c> whose alternatives differ only by disjoint types (int-or-string,
/// quantities: <c>[{type: [string, null]}, {type: [integer, null]}]</c>) become one <c>type</c> with the
/// same meaning (for oneOf, null, which matches every such alternative, is not allowed), so a value is
/// checked once instead of once per alternative;</item>
/// <item>keywords that never affect a verdict (descriptions, defaults, <c>x-kubernetes-*</c>
/// extensions once used, formats nothing asserts such as <c>int32</c>) are dropped: they are most of a
/// schema's bytes and each one still costs time per evaluated node.</item>
/// </list>
/// </summary>
internal static class SchemaNormalizer
{
    private static readonly HashSet<string> KnownDialects = new(StringComparer.Ordinal)
    {
        "http://json-schema.org/draft-06/schema#",
        "http://json-schema.org/draft-06/schema",
        "http://json-schema.org/draft-07/schema#",
        "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    };

    private static readonly HashSet<string> AssertedFormats = new(StringComparer.Ordinal)
    {
        "date", "date-time", "time", "duration", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6",
        "uri", "uri-reference", "iri", "iri-reference", "uri-template", "uuid", "regex", "json-pointer", "relative-json-pointer",
    };

    private static readonly string[] Annotations = ["description", "title", "default", "example", "examples", "$comment", "readOnly", "writeOnly", "deprecated"];

    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"];
    private static readonly string[] SchemaValues = ["additionalProperties", "additionalItems", "items", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"];
    private static readonly string[] SchemaLists = ["allOf", "anyOf", "oneOf", "prefixItems"];

    public static void Normalize(JsonNode root, bool strict, bool openApi)
    {
        if (root is JsonObject obj && obj["$schema"] is JsonValue dialect && (!dialect.TryGetValue<string>(out var uri) || !KnownDialects.Contains(uri)))
        {
            obj.Remove("$schema");
        }

        Visit(root, strict, openApi, 0);
    }

    private static void Visit(JsonNode? node, bool strict, bool openApi, int depth)
    {
        if (node is not JsonObject schema || depth > 1000)
        {
            return;
        }

        ConvertDraft4Exclusive(schema, "exclusiveMinimum", "minimum");
        ConvertDraft4Exclusive(schema, "exclusiveMaximum", "maximum");
        if (openApi)
        {
            ConvertOpenApi(schema);
        }

        SimplifyTypeAlternatives(schema, "oneOf");
        SimplifyTypeAlternatives(schema, "anyOf");
        if (strict && schema["properties"] is JsonObject && !schema.ContainsKey("additionalProperties") && !schema.ContainsKey("patternProperties") && !IsTrue(schema, "x-kubernetes-preserve-unknown-fields"))
        {
            schema["additionalProperties"] = false;
        }

        foreach (var name in SchemaMaps)
        {
            if (schema[name] is JsonObject map)
            {
                foreach (var (_, child) in map)
                {
                    Visit(child, strict, openApi, depth + 1);
                }
            }
        }

        foreach (var name in SchemaValues)
        {
            switch (schema[name])
            {
                case JsonObject child:
                    Visit(child, strict, openApi, depth + 1);
                    break;
                case JsonArray tuple when name == "items":
                    foreach (var child in tuple)
                    {
                        Visit(child, strict, openApi, depth + 1);
                    }

                    break;
            }
        }

        foreach (var name in SchemaLists)
        {
            if (schema[name] is JsonArray list)
            {
                foreach (var child in list)
                {
                    Visit(child, strict, openApi, depth + 1);
                }
            }
        }

        if (schema["dependencies"] is JsonObject dependencies)
        {
            foreach (var (_, child) in dependencies)
            {
                Visit(child, strict, openApi, depth + 1);
            }
        }

        DropInertKeywords(schema);
    }

    private static void DropInertKeywords(JsonObject schema)
    {
        foreach (var annotation in Annotations)
        {
            schema.Remove(annotation);
        }

        if (schema["format"] is JsonValue format && (!format.TryGetValue<string>(out var name) || !AssertedFormats.Contains(name)))
        {
            schema.Remove("format");
        }

        List<string>? extensions = null;
        foreach (var (key, _) in schema)
        {
            if (key.StartsWith("x-", StringComparison.Ordinal))
            {
                (extensions ??= []).Add(key);
            }
        }

        extensions?.ForEach(key => schema.Remove(key));
    }

    private static void ConvertOpenApi(JsonObject schema)
    {
        if (IsTrue(schema, "x-kubernetes-embedded-resource"))
        {
            var properties = schema["properties"] as JsonObject ?? (JsonObject)(schema["properties"] = new JsonObject());
            AddMissing(properties, "apiVersion", new JsonObject { ["type"] = "string" });
            AddMissing(properties, "kind", new JsonObject { ["type"] = "string" });
            AddMissing(properties, "metadata", new JsonObject { ["type"] = "object" });
        }

        var nullable = IsTrue(schema, "nullable");
        if (IsTrue(schema, "x-kubernetes-int-or-string") && !schema.ContainsKey("anyOf") && !schema.ContainsKey("oneOf"))
        {
            schema["type"] = nullable ? new JsonArray("integer", "string", "null") : new JsonArray("integer", "string");
        }
        else if (nullable)
        {
            switch (schema["type"])
            {
                case JsonValue single when single.TryGetValue<string>(out var type) && type != "null":
                    schema["type"] = new JsonArray(type, "null");
                    break;
                case JsonArray types when !types.Any(t => t?.GetValue<string>() == "null"):
                    types.Add("null");
                    break;
            }

            if (schema["enum"] is JsonArray values && !values.Any(v => v is null))
            {
                values.Add(null);
            }
        }
    }

    private static void SimplifyTypeAlternatives(JsonObject schema, string keyword)
    {
        if (schema[keyword] is not JsonArray { Count: > 1 } alternatives || schema.ContainsKey("type"))
        {
            return;
        }

        var seen = new List<string>();
        var withNull = 0;
        foreach (var alternative in alternatives)
        {
            if (alternative is not JsonObject { Count: 1 } only || TypesOf(only["type"]) is not { } types)
            {
                return;
            }

            foreach (var type in types)
            {
                if (type == "null")
                {
                    withNull++;
                    continue;
                }

                // integer is a number: alternatives overlapping that way are not a plain union.
                if (seen.Contains(type) || (type == "integer" && seen.Contains("number")) || (type == "number" && seen.Contains("integer")))
                {
                    return;
                }

                seen.Add(type);
            }
        }

        if (keyword == "oneOf" ? withNull == 1 : withNull > 0)
        {
            seen.Add("null");
        }

        schema.Remove(keyword);
        schema["type"] = new JsonArray(seen.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
    }

    private static List<string>? TypesOf(JsonNode? type) => type switch
    {
        JsonValue single when single.TryGetValue<string>(out var name) => [name],
        JsonArray many when many.All(t => t is JsonValue v && v.TryGetValue<string>(out _)) => many.Select(t => t!.GetValue<string>()).ToList(),
        _ => null,
    };

    private static void ConvertDraft4Exclusive(JsonObject schema, string exclusive, string bound)
    {
        if (schema[exclusive] is JsonValue flag && flag.TryGetValue<bool>(out var isExclusive))
        {
            schema.Remove(exclusive);
            if (isExclusive && schema[bound] is JsonValue limit)
            {
                schema.Remove(bound);
                schema[exclusive] = limit;
            }
        }
    }

    private static void AddMissing(JsonObject properties, string name, JsonNode schema)
    {
        if (!properties.ContainsKey(name))
        {
            properties[name] = schema;
        }
    }

    private static bool IsTrue(JsonObject schema, string keyword) => schema[keyword] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
