using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Policy.Values;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Variables;

/// <summary>Converts between System.Text.Json nodes (resources, policies) and Json.NET tokens (JMESPath).</summary>
internal static class JsonBridge
{
    public static JToken ToToken(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return JValue.CreateNull();
            case JsonObject obj:
            {
                var result = new JObject();
                foreach (var (key, value) in obj)
                {
                    result.Add(key, ToToken(value));
                }

                return result;
            }

            case JsonArray array:
            {
                var result = new JArray();
                foreach (var item in array)
                {
                    result.Add(ToToken(item));
                }

                return result;
            }

            default:
                var scalar = GoValue.Of(node);
                return scalar.Kind switch
                {
                    GoKind.String => new JValue(scalar.String),
                    GoKind.Bool => new JValue(scalar.Bool),
                    GoKind.Int => new JValue(scalar.Int),
                    GoKind.Float => new JValue(scalar.Float),
                    _ => JValue.CreateNull(),
                };
        }
    }

    public static JsonNode? ToNode(JToken? token)
    {
        switch (token)
        {
            case null:
                return null;
            case JObject obj:
            {
                var result = new JsonObject();
                foreach (var property in obj.Properties())
                {
                    result[property.Name] = ToNode(property.Value);
                }

                return result;
            }

            case JArray array:
            {
                var result = new JsonArray();
                foreach (var item in array)
                {
                    result.Add(ToNode(item));
                }

                return result;
            }

            case JValue value:
                switch (value.Type)
                {
                    case JTokenType.Null or JTokenType.Undefined:
                        return null;
                    case JTokenType.String:
                        return JsonValue.Create((string)value.Value!);
                    case JTokenType.Boolean:
                        return JsonValue.Create((bool)value.Value!);
                    case JTokenType.Integer:
                        return value.Value is System.Numerics.BigInteger big ? JsonValue.Create((double)big) : JsonValue.Create(Convert.ToInt64(value.Value, CultureInfo.InvariantCulture));
                    case JTokenType.Float:
                    {
                        var d = Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);
                        return d == Math.Floor(d) && Math.Abs(d) < 9e15 ? JsonValue.Create((long)d) : JsonValue.Create(d);
                    }

                    default:
                        return JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
                }

            default:
                return JsonNode.Parse(token.ToString(Newtonsoft.Json.Formatting.None));
        }
    }

    /// <summary>Go's <c>json.Marshal</c> of a decoded value, for splicing a non-string result into a string.</summary>
    public static string GoJson(JToken? token)
    {
        switch (token)
        {
            case null:
                return "null";
            case JValue { Type: JTokenType.Integer or JTokenType.Float } number:
            {
                var d = Convert.ToDouble(number.Value, CultureInfo.InvariantCulture);
                var abs = Math.Abs(d);
                return abs != 0 && (abs < 1e-6 || abs >= 1e21)
                    ? d.ToString("0.################e+00", CultureInfo.InvariantCulture)
                    : d.ToString("R", CultureInfo.InvariantCulture);
            }

            case JArray array:
                return "[" + string.Join(',', array.Select(GoJson)) + "]";
            case JObject obj:
                return "{" + string.Join(',', obj.Properties().OrderBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => JsonSerializer.Serialize(p.Name) + ":" + GoJson(p.Value))) + "}";
            default:
                return token.ToString(Newtonsoft.Json.Formatting.None);
        }
    }

    public static bool DeepEquals(JToken? a, JToken? b)
    {
        var ga = GoValue.Of(a);
        var gb = GoValue.Of(b);
        if (ga.IsNumber && gb.IsNumber)
        {
            return ga.AsDouble == gb.AsDouble;
        }

        return JToken.DeepEquals(a ?? JValue.CreateNull(), b ?? JValue.CreateNull());
    }
}
