using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Handoff.Policy.Yaml;

/// <summary>Where a node of a YAML document starts (1-based line and column).</summary>
internal readonly record struct SourceMark(int Line, int Column);

/// <summary>Positions of the nodes of one converted document, so later errors can name file:line:column.</summary>
internal sealed class SourceMap
{
    // A plain identity map: it lives exactly as long as its document, and unlike a ConditionalWeakTable it adds
    // no GC handle per node (millions of them made every collection slow while a large manifest set was loaded).
    private readonly Dictionary<JsonNode, SourceMark> _nodes = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(JsonObject, string), SourceMark> _keys = new();

    public SourceMap(string file) => File = file;

    public string File { get; }

    internal void Add(JsonNode node, SourceMark mark) => _nodes[node] = mark;

    internal void AddKey(JsonObject owner, string key, SourceMark mark) => _keys[(owner, key)] = mark;

    /// <summary>The position of <paramref name="node"/>, else of the nearest ancestor that has one.</summary>
    public SourceMark Locate(JsonNode? node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (_nodes.TryGetValue(current, out var mark))
            {
                return mark;
            }
        }

        return new SourceMark(0, 0);
    }

    /// <summary>The position of property <paramref name="key"/> of <paramref name="owner"/> (the key itself, so it works for null values).</summary>
    public SourceMark LocateProperty(JsonObject owner, string key) =>
        _keys.TryGetValue((owner, key), out var mark) ? mark : Locate(owner);

    public InputFileException Error(JsonNode? node, string problem, string? fix = null)
    {
        var mark = Locate(node);
        return new InputFileException(File, mark.Line, mark.Column, problem, fix);
    }

    public InputFileException PropertyError(JsonObject owner, string key, string problem, string? fix = null)
    {
        var mark = LocateProperty(owner, key);
        return new InputFileException(File, mark.Line, mark.Column, problem, fix);
    }
}

/// <summary>One YAML document of a file, converted to JSON the way Kubernetes reads it.</summary>
internal sealed record YamlJsonDocument(JsonNode Root, SourceMap Map, int Index);

/// <summary>
/// Converts YAML to <see cref="JsonNode"/> with the scalar rules of sigs.k8s.io/yaml (YAML 1.1 as go-yaml v2
/// resolves it): unquoted integers, floats, booleans (including yes/no/on/off) and null are typed, anything
/// quoted or tagged !!str stays a string. Kept in this one file so the shared manifest loader can replace it.
/// </summary>
internal static partial class YamlJsonReader
{
    public static IReadOnlyList<YamlJsonDocument> ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new HandoffException($"{path}: cannot read the file ({ex.Message}). Check that it exists and is readable.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new HandoffException($"{path}: cannot read the file ({ex.Message}). Check its permissions.", ex);
        }

        return Read(text, path);
    }

    /// <summary>All non-empty documents of <paramref name="yaml"/>; <paramref name="file"/> names the source in errors.</summary>
    public static IReadOnlyList<YamlJsonDocument> Read(string yaml, string file)
    {
        var documents = new List<YamlJsonDocument>();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            var index = 0;
            while (parser.TryConsume<DocumentStart>(out _))
            {
                var map = new SourceMap(file);
                var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                var root = ReadNode(parser, map, anchors, file);
                parser.Consume<DocumentEnd>();
                if (root is not null)
                {
                    documents.Add(new YamlJsonDocument(root, map, index));
                }

                index++;
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException ex)
        {
            throw new InputFileException(file, (int)ex.Start.Line, (int)ex.Start.Column, $"invalid YAML: {Clean(ex.Message)}",
                "Fix the YAML syntax (indentation, quoting, ':' after keys).", ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner reports some malformed flow collections this way instead of a YamlException.
            var at = parser.Current?.Start;
            throw new InputFileException(file, (int)(at?.Line ?? 0), (int)(at?.Column ?? 0), "invalid YAML: a flow list or mapping ([...] or {...}) is not closed.",
                "Close every '[' and '{' on the line where it opens, or use block style.", ex);
        }

        return documents;
    }

    private static string Clean(string message)
    {
        var paren = message.IndexOf("): ", StringComparison.Ordinal);
        return paren >= 0 && message.StartsWith('(') ? message[(paren + 3)..] : message;
    }

    private static JsonNode? ReadNode(IParser parser, SourceMap map, Dictionary<string, JsonNode?> anchors, string file)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of YAML");
        var mark = new SourceMark((int)current.Start.Line, (int)current.Start.Column);
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new InputFileException(file, mark.Line, mark.Column, $"alias *{alias.Value} refers to an anchor that is not defined before it.",
                        $"Define &{alias.Value} earlier in the document.");
                }

                return target?.DeepClone();
            case Scalar scalar:
            {
                parser.MoveNext();
                var node = ConvertScalar(scalar, file, mark);
                if (node is not null)
                {
                    map.Add(node, mark);
                }

                Remember(anchors, scalar.Anchor, node);
                return node;
            }

            case SequenceStart start:
            {
                parser.MoveNext();
                var array = new JsonArray();
                map.Add(array, mark);
                while (parser.Current is not SequenceEnd)
                {
                    array.Add(ReadNode(parser, map, anchors, file));
                }

                parser.MoveNext();
                Remember(anchors, start.Anchor, array);
                return array;
            }

            case MappingStart start:
            {
                parser.MoveNext();
                var obj = new JsonObject();
                map.Add(obj, mark);
                var merged = new List<JsonObject>();
                while (parser.Current is not MappingEnd)
                {
                    var keyEvent = parser.Current;
                    var keyMark = new SourceMark((int)keyEvent!.Start.Line, (int)keyEvent.Start.Column);
                    if (keyEvent is not Scalar keyScalar)
                    {
                        throw new InputFileException(file, keyMark.Line, keyMark.Column, "a mapping key must be a plain value, not a list or a mapping.",
                            "Use a string key.");
                    }

                    parser.MoveNext();
                    var key = keyScalar.Value;
                    var value = ReadNode(parser, map, anchors, file);
                    if (key == "<<" && keyScalar.Style == ScalarStyle.Plain)
                    {
                        // YAML merge key: the referenced mappings supply keys this mapping does not set itself.
                        switch (value)
                        {
                            case JsonObject source:
                                merged.Add(source);
                                break;
                            case JsonArray sources:
                                merged.AddRange(sources.OfType<JsonObject>());
                                break;
                            default:
                                throw new InputFileException(file, keyMark.Line, keyMark.Column, "the merge key '<<' needs a mapping or a list of mappings.",
                                    "Point '<<' at an anchored mapping, e.g. '<<: *defaults'.");
                        }

                        continue;
                    }

                    if (obj.ContainsKey(key))
                    {
                        throw new InputFileException(file, keyMark.Line, keyMark.Column, $"duplicate key '{key}' in the same mapping.",
                            "Remove or rename one of them: Kubernetes rejects duplicate keys.");
                    }

                    obj[key] = value;
                    map.AddKey(obj, key, keyMark);
                }

                parser.MoveNext();
                foreach (var source in merged)
                {
                    foreach (var (key, value) in source)
                    {
                        if (!obj.ContainsKey(key))
                        {
                            obj[key] = value?.DeepClone();
                        }
                    }
                }

                Remember(anchors, start.Anchor, obj);
                return obj;
            }

            default:
                throw new YamlException(current.Start, current.End, $"unexpected YAML event {current.GetType().Name}");
        }
    }

    private static void Remember(Dictionary<string, JsonNode?> anchors, AnchorName anchor, JsonNode? node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    private static JsonNode? ConvertScalar(Scalar scalar, string file, SourceMark mark)
    {
        var value = scalar.Value;
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag.Length > 0 && tag != "!")
        {
            return tag switch
            {
                "tag:yaml.org,2002:str" => JsonValue.Create(value),
                "tag:yaml.org,2002:null" => null,
                "tag:yaml.org,2002:bool" => ResolvePlain(value) as JsonValue is { } b && b.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                    ? b
                    : throw new InputFileException(file, mark.Line, mark.Column, $"'{value}' is tagged !!bool but is not a boolean.", "Use true or false."),
                "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" => ResolvePlain(value) is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number
                    ? n
                    : throw new InputFileException(file, mark.Line, mark.Column, $"'{value}' is tagged as a number but is not one.", "Write a number or drop the tag."),
                _ => JsonValue.Create(value),
            };
        }

        if (scalar.Style != ScalarStyle.Plain || scalar.IsQuotedImplicit)
        {
            return JsonValue.Create(value);
        }

        return ResolvePlain(value);
    }

    /// <summary>Resolves an unquoted scalar the way go-yaml v2 does for an untyped destination.</summary>
    internal static JsonNode? ResolvePlain(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN":
                // JSON has no infinities: Kubernetes would refuse to serialise them, so keep the text.
                return JsonValue.Create(value);
        }

        var first = value[0];
        if (!(char.IsAsciiDigit(first) || first is '-' or '+' or '.'))
        {
            return JsonValue.Create(value);
        }

        if (TryParseInteger(value, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        if (IntegerLike().IsMatch(value) && double.TryParse(value.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var big))
        {
            // Larger than int64: go-yaml falls back to a float.
            return JsonValue.Create(big);
        }

        return JsonValue.Create(value);
    }

    private static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var plain = text.Replace("_", "");
        var negative = false;
        var span = plain.AsSpan();
        if (span.Length > 0 && span[0] is '+' or '-')
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        if (span.IsEmpty)
        {
            return false;
        }

        ulong magnitude;
        if (span.Length > 2 && span[0] == '0' && span[1] is 'x' or 'X')
        {
            if (!ulong.TryParse(span[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude))
            {
                return false;
            }
        }
        else if (span.Length > 2 && span[0] == '0' && span[1] is 'b' or 'B')
        {
            if (!TryParseRadix(span[2..], 2, out magnitude))
            {
                return false;
            }
        }
        else if (span.Length > 2 && span[0] == '0' && span[1] is 'o' or 'O')
        {
            if (!TryParseRadix(span[2..], 8, out magnitude))
            {
                return false;
            }
        }
        else if (span.Length > 1 && span[0] == '0')
        {
            if (!TryParseRadix(span[1..], 8, out magnitude))
            {
                return false;
            }
        }
        else
        {
            foreach (var c in span)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            if (!ulong.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude))
            {
                return false;
            }
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude;
            return true;
        }

        if (magnitude > long.MaxValue)
        {
            return false;
        }

        value = (long)magnitude;
        return true;
    }

    private static bool TryParseRadix(ReadOnlySpan<char> digits, int radix, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var c in digits)
        {
            var digit = c - '0';
            if (digit < 0 || digit >= radix)
            {
                return false;
            }

            var next = value * (ulong)radix + (ulong)digit;
            if (next / (ulong)radix != value)
            {
                return false;
            }

            value = next;
        }

        return true;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*$")]
    private static partial Regex IntegerLike();
}
