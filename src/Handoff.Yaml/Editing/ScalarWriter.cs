using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Handoff.Yaml.Editing;

/// <summary>
/// Writes a string value as a YAML scalar that reads back as exactly that string, in the style the file
/// already uses where that is safe. Plain is refused when a YAML 1.1 or 1.2 reader (Helm's go-yaml,
/// kubectl, Argo CD) would resolve it to another type or read it differently: a tag <c>1.10</c> would
/// become the float 1.1.
/// </summary>
internal static partial class ScalarWriter
{
    public static string Write(string value, ScalarStyle preferred, bool inFlow) => preferred switch
    {
        ScalarStyle.Plain or ScalarStyle.Any when IsPlainSafe(value, inFlow) => value,
        ScalarStyle.SingleQuoted when CanSingleQuote(value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        _ => DoubleQuote(value),
    };

    /// <summary>True when the text already in the file, in its style, needs no rewrite to hold <paramref name="value"/> as a string.</summary>
    public static bool Holds(string existing, ScalarStyle style, string value, bool inFlow) =>
        existing == value && (style != ScalarStyle.Plain || IsPlainSafe(value, inFlow));

    public static bool IsPlainSafe(string value, bool inFlow)
    {
        if (value.Length == 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return false;
        }

        if (IndicatorStart(value[0]) || value[^1] == ':')
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!IsPrintable(c))
            {
                return false;
            }

            if (c == ':' && i + 1 < value.Length && char.IsWhiteSpace(value[i + 1]))
            {
                return false;
            }

            if (c == '#' && i > 0 && char.IsWhiteSpace(value[i - 1]))
            {
                return false;
            }

            if (inFlow && c is ',' or '[' or ']' or '{' or '}')
            {
                return false;
            }
        }

        return !ResolvesToNonString(value);
    }

    /// <summary>Null, booleans (YAML 1.1's yes/no/on/off too), numbers in any base, sexagesimal, dates, merge and value keys.</summary>
    public static bool ResolvesToNonString(string value) => NonStringPlain().IsMatch(value);

    private static bool CanSingleQuote(string value)
    {
        foreach (var c in value)
        {
            if (!IsPrintable(c))
            {
                return false;
            }
        }

        return true;
    }

    public static string DoubleQuote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\0':
                    builder.Append("\\0");
                    break;
                default:
                    if (IsPrintable(c))
                    {
                        builder.Append(c);
                    }
                    else
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static bool IndicatorStart(char c) =>
        c is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`';

    // YAML's printable set, minus the characters that readers treat as line breaks or a BOM.
    private static bool IsPrintable(char c) =>
        c is >= ' ' and <= '~' || (c >= '\u00A0' && c != '\u2028' && c != '\u2029' && c != '\uFEFF' && c is < '\uFFFE');

    [GeneratedRegex(@"^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<|="
                    + @"|[-+]?(?:0|[1-9][0-9_]*)"
                    + @"|[-+]?0[0-7_]+|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+"
                    + @"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
                    + @"|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+"
                    + @"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
                    + @"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
                    + @"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+).*)?"
                    + @")$", RegexOptions.CultureInvariant)]
    private static partial Regex NonStringPlain();
}
