using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Values;

internal enum GoKind : byte
{
    Nil,
    Bool,
    Int,
    Float,
    String,
    Map,
    Array,
}

/// <summary>
/// A JSON value classified the way Kyverno's Go code sees it after decoding (nil, bool, int64, float64,
/// string, map, slice), so comparisons follow the same type rules without boxing.
/// </summary>
internal readonly struct GoValue
{
    private GoValue(GoKind kind, long integer = 0, double real = 0, bool boolean = false, string? text = null)
    {
        Kind = kind;
        Int = integer;
        Float = real;
        Bool = boolean;
        String = text;
    }

    public GoKind Kind { get; }
    public long Int { get; }
    public double Float { get; }
    public bool Bool { get; }
    public string? String { get; }

    public static readonly GoValue Nil = new(GoKind.Nil);

    public static GoValue FromString(string text) => new(GoKind.String, text: text);

    public static GoValue FromDouble(double value) => new(GoKind.Float, real: value);

    public static GoValue FromLong(long value) => new(GoKind.Int, integer: value);

    public static GoValue FromBool(bool value) => new(GoKind.Bool, boolean: value);

    public static GoValue Of(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return Nil;
            case JsonObject:
                return new GoValue(GoKind.Map);
            case JsonArray:
                return new GoValue(GoKind.Array);
            case JsonValue value:
                // TryGetValue is a type test for the primitive nodes the YAML reader creates; GetValueKind is far slower.
                if (value.TryGetValue<string>(out var text))
                {
                    return FromString(text);
                }

                if (value.TryGetValue<long>(out var l))
                {
                    return FromLong(l);
                }

                if (value.TryGetValue<bool>(out var b))
                {
                    return FromBool(b);
                }

                if (value.TryGetValue<double>(out var d))
                {
                    return d == Math.Floor(d) && Math.Abs(d) < 9.2e18 ? FromLong((long)d) : FromDouble(d);
                }

                if (value.TryGetValue<int>(out var i))
                {
                    return FromLong(i);
                }

                if (value.TryGetValue<decimal>(out var m))
                {
                    return FromDouble((double)m);
                }

                if (value.TryGetValue<JsonElement>(out var e))
                {
                    return e.ValueKind switch
                    {
                        JsonValueKind.String => FromString(e.GetString()!),
                        JsonValueKind.True => FromBool(true),
                        JsonValueKind.False => FromBool(false),
                        JsonValueKind.Number => e.TryGetInt64(out var el) ? FromLong(el) : FromDouble(e.GetDouble()),
                        _ => Nil,
                    };
                }

                return value.GetValueKind() switch
                {
                    JsonValueKind.String => FromString(value.GetValue<string>()),
                    JsonValueKind.True => FromBool(true),
                    JsonValueKind.False => FromBool(false),
                    JsonValueKind.Number => FromDouble(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)),
                    _ => Nil,
                };
            default:
                return Nil;
        }
    }

    /// <summary>The value of a JMESPath/JSON token as Go's encoding/json decodes it: every number is a float64.</summary>
    public static GoValue Of(JToken? token)
    {
        switch (token)
        {
            case null:
                return Nil;
            case JObject:
                return new GoValue(GoKind.Map);
            case JArray:
                return new GoValue(GoKind.Array);
            case JValue value:
                return value.Type switch
                {
                    JTokenType.String => FromString((string)value.Value!),
                    JTokenType.Boolean => FromBool((bool)value.Value!),
                    JTokenType.Integer => FromDouble(Convert.ToDouble(value.Value, CultureInfo.InvariantCulture)),
                    JTokenType.Float => FromDouble(Convert.ToDouble(value.Value, CultureInfo.InvariantCulture)),
                    JTokenType.Null or JTokenType.Undefined => Nil,
                    JTokenType.Date => FromString(value.ToString(CultureInfo.InvariantCulture)),
                    _ => FromString(value.ToString(CultureInfo.InvariantCulture)),
                };
            default:
                return Nil;
        }
    }

    public bool IsNumber => Kind is GoKind.Int or GoKind.Float;

    public double AsDouble => Kind == GoKind.Int ? Int : Float;
}

/// <summary>Text renderings that match Go's fmt and strconv, because Kyverno compares values as such strings.</summary>
internal static class GoFormat
{
    /// <summary><c>fmt.Sprint</c> of a float64: shortest digits, switching to exponent form where Go's <c>%v</c> does.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var (negative, digits, pointPosition) = Decompose(value);
        var exponent = pointPosition - 1;
        var eprec = 6;
        if (eprec > digits.Length && digits.Length >= pointPosition)
        {
            eprec = digits.Length;
        }

        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        if (exponent < -4 || exponent >= eprec)
        {
            AppendExponent(builder, digits, exponent, 'e');
            return builder.ToString();
        }

        if (pointPosition <= 0)
        {
            builder.Append("0.").Append('0', -pointPosition).Append(digits);
        }
        else if (pointPosition >= digits.Length)
        {
            builder.Append(digits).Append('0', pointPosition - digits.Length);
        }
        else
        {
            builder.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
        }

        return builder.ToString();
    }

    /// <summary><c>strconv.FormatFloat(v, 'E', -1, 64)</c>.</summary>
    public static string FloatE(double value)
    {
        if (value == 0)
        {
            return "0E+00";
        }

        var (negative, digits, pointPosition) = Decompose(value);
        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        AppendExponent(builder, digits, pointPosition - 1, 'E');
        return builder.ToString();
    }

    /// <summary><c>fmt.Sprintf("%f", v)</c>.</summary>
    public static string FloatF(double value) => value.ToString("F6", CultureInfo.InvariantCulture);

    private static void AppendExponent(StringBuilder builder, string digits, int exponent, char e)
    {
        builder.Append(digits[0]);
        if (digits.Length > 1)
        {
            builder.Append('.').Append(digits, 1, digits.Length - 1);
        }

        builder.Append(e).Append(exponent < 0 ? '-' : '+');
        var magnitude = Math.Abs(exponent);
        if (magnitude < 10)
        {
            builder.Append('0');
        }

        builder.Append(magnitude.ToString(CultureInfo.InvariantCulture));
    }

    private static (bool Negative, string Digits, int PointPosition) Decompose(double value)
    {
        var negative = value < 0;
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        // "R" is the shortest round-trip text; take its digits and decimal exponent.
        var ePos = shortest.IndexOfAny(['E', 'e']);
        var mantissa = ePos >= 0 ? shortest[..ePos] : shortest;
        var exp = ePos >= 0 ? int.Parse(shortest[(ePos + 1)..], CultureInfo.InvariantCulture) : 0;
        var dot = mantissa.IndexOf('.');
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        var point = intPart.Length + exp - leadingZeros;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return (negative, "0", 1);
        }

        return (negative, digits, point);
    }

    /// <summary><c>fmt.Sprint</c> of a decoded JSON value.</summary>
    public static string Sprint(JToken? token)
    {
        switch (token)
        {
            case null:
                return "<nil>";
            case JValue value:
                return value.Type switch
                {
                    JTokenType.String => (string)value.Value!,
                    JTokenType.Boolean => (bool)value.Value! ? "true" : "false",
                    JTokenType.Integer or JTokenType.Float => Float(Convert.ToDouble(value.Value, CultureInfo.InvariantCulture)),
                    JTokenType.Null or JTokenType.Undefined => "<nil>",
                    _ => value.ToString(CultureInfo.InvariantCulture),
                };
            case JArray array:
                return "[" + string.Join(' ', array.Select(Sprint)) + "]";
            case JObject obj:
                return "map[" + string.Join(' ', obj.Properties().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + ":" + Sprint(p.Value))) + "]";
            default:
                return token.ToString();
        }
    }
}
