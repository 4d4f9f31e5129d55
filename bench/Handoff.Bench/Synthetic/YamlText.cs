using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Handoff.Bench.Synthetic;

/// <summary>
/// Writes a <see cref="JsonNode"/> as block-style YAML the way kubectl and helm print manifests, quoting only
/// the strings a YAML 1.1 reader would otherwise type (numbers, booleans, null) or misread.
/// </summary>
internal static class YamlText
{
    public static void AppendDocument(StringBuilder output, JsonObject document)
    {
        output.Append("---\n");
        AppendMapping(output, document, 0);
    }

    private static void AppendMapping(StringBuilder output, JsonObject mapping, int indent)
    {
        foreach (var (key, value) in mapping)
        {
            output.Append(' ', indent).Append(Scalar(key)).Append(':');
            AppendValue(output, value, indent);
        }
    }

    private static void AppendValue(StringBuilder output, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                output.Append(" {}\n");
                break;
            case JsonObject nested:
                output.Append('\n');
                AppendMapping(output, nested, indent + 2);
                break;
            case JsonArray { Count: 0 }:
                output.Append(" []\n");
                break;
            case JsonArray list:
                output.Append('\n');
                AppendSequence(output, list, indent);
                break;
            case JsonValue text when text.TryGetValue<string>(out var multiline) && multiline.Contains('\n'):
                AppendLiteralBlock(output, multiline, indent + 2);
                break;
            default:
                output.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    /// <summary>Multi-line text (config files in ConfigMaps) as a <c>|</c> literal block, the way helm charts write it.</summary>
    private static void AppendLiteralBlock(StringBuilder output, string text, int indent)
    {
        var keep = text.EndsWith('\n');
        output.Append(keep ? " |\n" : " |-\n");
        foreach (var line in (keep ? text[..^1] : text).Split('\n'))
        {
            if (line.Length > 0)
            {
                output.Append(' ', indent).Append(line);
            }

            output.Append('\n');
        }
    }

    private static void AppendSequence(StringBuilder output, JsonArray list, int indent)
    {
        foreach (var item in list)
        {
            output.Append(' ', indent).Append('-');
            if (item is JsonObject { Count: > 0 } element)
            {
                // The first key shares the dash's line; the others line up under it.
                var first = true;
                foreach (var (key, value) in element)
                {
                    if (first)
                    {
                        output.Append(' ');
                        first = false;
                    }
                    else
                    {
                        output.Append(' ', indent + 2);
                    }

                    output.Append(Scalar(key)).Append(':');
                    AppendValue(output, value, indent + 2);
                }
            }
            else
            {
                AppendValue(output, item, indent);
            }
        }
    }

    private static string Scalar(JsonNode? node)
    {
        if (node is null)
        {
            return "null";
        }

        var value = node.AsValue();
        if (value.TryGetValue<string>(out var text))
        {
            return Scalar(text);
        }

        if (value.TryGetValue<bool>(out var flag))
        {
            return flag ? "true" : "false";
        }

        if (value.TryGetValue<long>(out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<int>(out var small))
        {
            return small.ToString(CultureInfo.InvariantCulture);
        }

        return value.ToJsonString();
    }

    private static string Scalar(string text) => NeedsQuotes(text) ? "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : text;

    private static bool NeedsQuotes(string text)
    {
        if (text.Length == 0 || text is "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
            or "yes" or "Yes" or "YES" or "no" or "No" or "NO" or "on" or "On" or "ON" or "off" or "Off" or "OFF" or "y" or "Y" or "n" or "N")
        {
            return true;
        }

        if (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.')
        {
            // Versions, ports and quantities such as "1.25" or "8080" would be read as numbers.
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || text.All(c => char.IsAsciiDigit(c) || c is '_' or ':' or '.'))
            {
                return true;
            }
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '-' or '_' or ':' or '@' or '+' or '='))
            {
                return true;
            }
        }

        return text.EndsWith(':') || text[0] is '@' or '=' or ':';
    }
}
