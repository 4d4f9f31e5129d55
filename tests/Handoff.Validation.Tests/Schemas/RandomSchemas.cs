using System.Text.Json.Nodes;

namespace Handoff.Validation.Tests.Schemas;

/// <summary>Seeded random draft-07 schemas and documents over a small vocabulary, so keywords meet each other and each other's edge values.</summary>
internal static class RandomSchemas
{
    private static readonly string[] Names = ["a", "b", "c", "a/b", "x~y"];
    private static readonly string[] TypeNames = ["null", "boolean", "object", "array", "number", "string", "integer"];

    public static JsonNode Schema(Random random, int depth)
    {
        if (depth > 3 || random.Next(8) == 0)
        {
            return random.Next(4) switch
            {
                0 => JsonValue.Create(random.Next(2) == 0),
                _ => new JsonObject { ["type"] = TypeNames[random.Next(TypeNames.Length)] },
            };
        }

        var schema = new JsonObject();
        var keywords = random.Next(1, 4);
        for (var i = 0; i < keywords; i++)
        {
            switch (random.Next(24))
            {
                case 0:
                    schema["type"] = random.Next(2) == 0
                        ? TypeNames[random.Next(TypeNames.Length)]
                        : new JsonArray(TypeNames.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(t => (JsonNode)t).ToArray());
                    break;
                case 1 or 2:
                    var properties = new JsonObject();
                    foreach (var name in Names.Where(_ => random.Next(2) == 0))
                    {
                        properties[name] = Schema(random, depth + 1);
                    }

                    schema["properties"] = properties;
                    break;
                case 3:
                    schema["additionalProperties"] = Schema(random, depth + 1);
                    break;
                case 4:
                    schema["required"] = new JsonArray(Names.Where(_ => random.Next(3) == 0).Select(n => (JsonNode)n).ToArray());
                    break;
                case 5:
                    schema["items"] = random.Next(3) == 0 ? new JsonArray(Schema(random, depth + 1), Schema(random, depth + 1)) : Schema(random, depth + 1);
                    break;
                case 6:
                    schema["additionalItems"] = Schema(random, depth + 1);
                    break;
                case 7:
                    schema["enum"] = new JsonArray(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Instance(random, 3)).ToArray());
                    break;
                case 8:
                    schema["const"] = Instance(random, 3);
                    break;
                case 9:
                    schema[random.Next(2) == 0 ? "minimum" : "exclusiveMaximum"] = random.Next(-2, 3);
                    break;
                case 10:
                    schema[random.Next(2) == 0 ? "maximum" : "exclusiveMinimum"] = random.Next(-2, 3) + (random.Next(2) == 0 ? 0.5 : 0);
                    break;
                case 11:
                    schema[random.Next(2) == 0 ? "minLength" : "maxLength"] = random.Next(0, 3);
                    break;
                case 12:
                    schema[random.Next(2) == 0 ? "minItems" : "maxItems"] = random.Next(0, 3);
                    break;
                case 13:
                    schema[random.Next(2) == 0 ? "minProperties" : "maxProperties"] = random.Next(0, 3);
                    break;
                case 14:
                    schema["pattern"] = random.Next(2) == 0 ? "^a" : "[0-9]";
                    break;
                case 15:
                    schema["uniqueItems"] = random.Next(3) != 0;
                    break;
                case 16:
                    schema[new[] { "allOf", "anyOf", "oneOf" }[random.Next(3)]] = new JsonArray(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Schema(random, depth + 1)).ToArray());
                    break;
                case 17:
                    schema["not"] = Schema(random, depth + 1);
                    break;
                case 18:
                    schema["if"] = Schema(random, depth + 1);
                    schema[random.Next(2) == 0 ? "then" : "else"] = Schema(random, depth + 1);
                    break;
                case 19:
                    schema["contains"] = Schema(random, depth + 1);
                    break;
                case 20:
                    schema["patternProperties"] = new JsonObject { [random.Next(2) == 0 ? "^a" : "b"] = Schema(random, depth + 1) };
                    break;
                case 21:
                    schema["dependencies"] = new JsonObject { ["a"] = random.Next(2) == 0 ? new JsonArray("b") : Schema(random, depth + 1) };
                    break;
                case 22:
                    schema["propertyNames"] = new JsonObject { ["maxLength"] = random.Next(1, 3) };
                    break;
                default:
                    schema["multipleOf"] = random.Next(2) == 0 ? 2 : 0.5;
                    break;
            }
        }

        return schema;
    }

    public static JsonNode? Instance(Random random, int depth)
    {
        var choice = depth > 2 ? random.Next(7) : random.Next(10);
        return choice switch
        {
            0 => null,
            1 => random.Next(2) == 0,
            2 => random.Next(-3, 4),
            3 => random.Next(-3, 4) + 0.5,
            4 => new[] { "", "a", "ab", "b1", "é", "abc" }[random.Next(6)],
            5 => random.Next(2) == 0 ? 1.0 : 2,
            6 => Names[random.Next(Names.Length)],
            7 or 8 => new JsonObject(Names.Where(_ => random.Next(2) == 0).Select(n => KeyValuePair.Create(n, Instance(random, depth + 1)))),
            _ => new JsonArray(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Instance(random, depth + 1)).ToArray()),
        };
    }
}

/// <summary>Documents shaped by a schema (its properties, required fields, enums and types), to reach deep into real schemas.</summary>
internal static class DocumentGenerator
{
    public static JsonNode? FromSchema(JsonNode? schema, Random random, int depth)
    {
        if (schema is not JsonObject obj || depth > 8)
        {
            return "x";
        }

        if (obj["enum"] is JsonArray { Count: > 0 } options)
        {
            return options[random.Next(options.Count)]?.DeepClone();
        }

        var types = obj["type"] switch
        {
            JsonArray many => many.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList(),
            JsonValue one => [one.GetValue<string>()],
            _ => obj["properties"] is not null ? ["object"] : ["string"],
        };
        var type = types.Count == 0 ? "null" : types[random.Next(types.Count)];
        switch (type)
        {
            case "object":
                var result = new JsonObject();
                var required = (obj["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
                if (obj["properties"] is JsonObject properties)
                {
                    foreach (var (name, child) in properties)
                    {
                        if (required.Contains(name) || random.Next(3) == 0)
                        {
                            result[name] = FromSchema(child, random, depth + 1);
                        }
                    }
                }
                else if (obj["additionalProperties"] is JsonObject values)
                {
                    result["key"] = FromSchema(values, random, depth + 1);
                }

                return result;
            case "array":
                return new JsonArray(Enumerable.Range(0, random.Next(1, 3)).Select(_ => FromSchema(obj["items"], random, depth + 1)).ToArray());
            case "integer":
                return random.Next(0, 100);
            case "number":
                return random.Next(0, 100) / 4.0;
            case "boolean":
                return random.Next(2) == 0;
            default:
                return obj["format"]?.GetValue<string>() == "date-time" ? "2024-01-02T03:04:05Z" : "x";
        }
    }
}
