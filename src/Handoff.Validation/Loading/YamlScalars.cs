using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Handoff.Validation.Loading;

internal enum ScalarType
{
    Null,
    Bool,
    Int,
    UInt,
    Float,
    String,
}

/// <summary>A YAML scalar after tag resolution.</summary>
internal readonly record struct ResolvedScalar(ScalarType Type, string Text, long Int = 0, ulong UInt = 0, double Float = 0, bool Bool = false)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (Type)
        {
            case ScalarType.Null: writer.WriteNullValue(); break;
            case ScalarType.Bool: writer.WriteBooleanValue(Bool); break;
            case ScalarType.Int: writer.WriteNumberValue(Int); break;
            case ScalarType.UInt: writer.WriteNumberValue(UInt); break;
            case ScalarType.Float: writer.WriteNumberValue(Float); break;
            default: writer.WriteStringValue(Text); break;
        }
    }
}

/// <summary>
/// Resolves scalars the way Kubernetes reads YAML (sigs.k8s.io/yaml on go-yaml v2, then JSON): plain
/// <c>true/yes/on/y</c> and friends are booleans, <c>~</c>/<c>null</c>/empty are null, integers accept
/// <c>0x</c>, <c>0o</c>, <c>0b</c>, leading-zero octal and <c>_</c> separators, timestamps stay strings,
/// quoted scalars are always strings. Keys become JSON strings the way sigs.k8s.io/yaml formats them.
/// </summary>
internal static class YamlScalars
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    public static ResolvedScalar Resolve(Scalar scalar)
    {
        var text = scalar.Value;
        if (!scalar.Tag.IsEmpty)
        {
            return ResolveTagged(scalar, text);
        }

        return scalar.Style == ScalarStyle.Plain ? ResolvePlain(text) : new ResolvedScalar(ScalarType.String, text);
    }

    /// <summary>True for the plain <c>&lt;&lt;</c> key that merges mappings.</summary>
    public static bool IsMergeKey(Scalar scalar) =>
        scalar.Value == "<<" && (scalar.Tag.IsEmpty ? scalar.Style == ScalarStyle.Plain : scalar.Tag.Value == TagPrefix + "merge");

    /// <summary>The JSON property name for a mapping key, or null (with a reason) when JSON cannot have it.</summary>
    public static string? KeyText(Scalar scalar, out string? problem)
    {
        problem = null;
        var resolved = Resolve(scalar);
        switch (resolved.Type)
        {
            case ScalarType.String:
                return resolved.Text;
            case ScalarType.Bool:
                return resolved.Bool ? "true" : "false";
            case ScalarType.Int:
                return resolved.Int.ToString(CultureInfo.InvariantCulture);
            case ScalarType.UInt:
                return resolved.UInt.ToString(CultureInfo.InvariantCulture);
            case ScalarType.Float:
                return FormatFloatKey(resolved.Float);
            default:
                problem = "a mapping key is null (~, null or empty), which JSON and Kubernetes cannot represent. Quote the key or remove it.";
                return null;
        }
    }

    private static ResolvedScalar ResolveTagged(Scalar scalar, string text)
    {
        var tag = scalar.Tag.Value;
        if (!tag.StartsWith(TagPrefix, StringComparison.Ordinal))
        {
            // Custom (!foo) and non-specific (!) tags leave the value a string, as go-yaml does.
            return new ResolvedScalar(ScalarType.String, text);
        }

        var name = tag[TagPrefix.Length..];
        if (name is "str" or "binary" or "timestamp")
        {
            return new ResolvedScalar(ScalarType.String, text);
        }

        var plain = ResolvePlain(text);
        var fits = name switch
        {
            "null" => plain.Type == ScalarType.Null,
            "bool" => plain.Type == ScalarType.Bool,
            "int" => plain.Type is ScalarType.Int or ScalarType.UInt,
            "float" => plain.Type is ScalarType.Float or ScalarType.Int or ScalarType.UInt,
            _ => true,
        };
        if (!fits)
        {
            throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, scalar.Start,
                $"'{Shorten(text)}' cannot be read as !!{name}. Remove the tag or fix the value.");
        }

        return name == "float" && plain.Type != ScalarType.Float ? new ResolvedScalar(ScalarType.Float, text, Float: plain.Type == ScalarType.Int ? plain.Int : plain.UInt) : plain;
    }

    public static ResolvedScalar ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return new ResolvedScalar(ScalarType.Null, text);
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return new ResolvedScalar(ScalarType.Bool, text, Bool: true);
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return new ResolvedScalar(ScalarType.Bool, text, Bool: false);
            case ".nan" or ".NaN" or ".NAN":
                return new ResolvedScalar(ScalarType.Float, text, Float: double.NaN);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return new ResolvedScalar(ScalarType.Float, text, Float: double.PositiveInfinity);
            case "-.inf" or "-.Inf" or "-.INF":
                return new ResolvedScalar(ScalarType.Float, text, Float: double.NegativeInfinity);
        }

        var first = text[0];
        if (first is not ((>= '0' and <= '9') or '-' or '+' or '.'))
        {
            return new ResolvedScalar(ScalarType.String, text);
        }

        var plain = text.Contains('_') ? text.Replace("_", "", StringComparison.Ordinal) : text;
        if (TryParseGoInt(plain, out var negative, out var magnitude))
        {
            if (!negative && magnitude <= long.MaxValue)
            {
                return new ResolvedScalar(ScalarType.Int, text, Int: (long)magnitude);
            }

            if (negative && magnitude <= (ulong)long.MaxValue + 1)
            {
                return new ResolvedScalar(ScalarType.Int, text, Int: magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude);
            }

            if (!negative)
            {
                return new ResolvedScalar(ScalarType.UInt, text, UInt: magnitude);
            }
        }

        if (IsYamlFloat(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return new ResolvedScalar(ScalarType.Float, text, Float: value);
        }

        return new ResolvedScalar(ScalarType.String, text);
    }

    /// <summary>Go's strconv.ParseInt/ParseUint with base 0: optional sign, then 0x/0o/0b prefixes or a leading-zero octal.</summary>
    private static bool TryParseGoInt(string text, out bool negative, out ulong magnitude)
    {
        negative = false;
        magnitude = 0;
        var span = text.AsSpan();
        if (span.Length > 0 && (span[0] == '+' || span[0] == '-'))
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        if (span.IsEmpty)
        {
            return false;
        }

        var radix = 10;
        if (span.Length > 1 && span[0] == '0')
        {
            switch (span[1])
            {
                case 'x' or 'X': radix = 16; span = span[2..]; break;
                case 'o' or 'O': radix = 8; span = span[2..]; break;
                case 'b' or 'B': radix = 2; span = span[2..]; break;
                default: radix = 8; span = span[1..]; break;
            }

            if (span.IsEmpty)
            {
                return false;
            }
        }

        foreach (var c in span)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return false;
            }

            if (magnitude > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }

            magnitude = magnitude * (ulong)radix + (ulong)digit;
        }

        return true;
    }

    /// <summary>go-yaml's float pattern: <c>^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$</c>.</summary>
    private static bool IsYamlFloat(string text)
    {
        var i = 0;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            i++;
        }

        var intDigits = CountDigits(text, ref i);
        if (intDigits == 0)
        {
            if (i >= text.Length || text[i] != '.')
            {
                return false;
            }

            i++;
            if (CountDigits(text, ref i) == 0)
            {
                return false;
            }
        }
        else if (i < text.Length && text[i] == '.')
        {
            i++;
            CountDigits(text, ref i);
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '-' || text[i] == '+'))
            {
                i++;
            }

            if (CountDigits(text, ref i) == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static int CountDigits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && text[i] is >= '0' and <= '9')
        {
            i++;
        }

        return i - start;
    }

    /// <summary>sigs.k8s.io/yaml turns float keys into text with 32-bit precision and go's exponent style.</summary>
    private static string FormatFloatKey(double value)
    {
        if (double.IsNaN(value))
        {
            return ".nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? ".inf" : "-.inf";
        }

        var text = ((float)value).ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        if (e < 0)
        {
            return text;
        }

        var exponent = text[(e + 1)..];
        var sign = exponent[0] is '-' or '+' ? exponent[0] : '+';
        var digits = exponent.TrimStart('-', '+');
        return text[..e] + "e" + sign + (digits.Length < 2 ? "0" + digits : digits);
    }

    internal static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}

/// <summary>A problem converting YAML to JSON at a place in the document.</summary>
internal sealed class YamlConversionException(ManifestErrorKind kind, Mark mark, string message) : Exception(message)
{
    public ManifestErrorKind Kind { get; } = kind;

    public Mark Mark { get; } = mark;
}
