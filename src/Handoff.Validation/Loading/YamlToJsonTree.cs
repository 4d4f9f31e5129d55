using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Handoff.Validation.Loading;

/// <summary>
/// Builds a document as a <see cref="JsonNode"/> tree: the slower path for what streaming cannot do.
/// Merge keys (<c>&lt;&lt;: *defaults</c>) follow the YAML merge rules (explicit keys win, earlier
/// merge sources win), and a repeated key keeps its last value, as Kubernetes does outside strict mode.
/// </summary>
internal sealed class YamlToJsonTree(bool duplicateKeysAreErrors, AliasBudget budget, LoaderLimits limits)
{
    private readonly Dictionary<string, (JsonNode? Node, long Nodes, long Bytes, string? KeyText)> _anchors = new(StringComparer.Ordinal);
    private long _nodes;
    private long _bytes;
    private List<Mark>? _itemStarts;

    /// <summary>Reads one document's node; the parser is positioned just after DocumentStart and is left on DocumentEnd.</summary>
    public ConvertedDocument Convert(IParser parser)
    {
        var rootStart = parser.Current!.Start;
        var root = ReadNode(parser, 0, recordItems: false);
        if (root is null)
        {
            return new ConvertedDocument(null, rootStart, null);
        }

        return new ConvertedDocument(JsonSerializer.SerializeToElement(root), rootStart, _itemStarts);
    }

    /// <summary>Reads the node at the parser's current event and moves past it.</summary>
    private JsonNode? ReadNode(IParser parser, int depth, bool recordItems)
    {
        var current = parser.Current!;
        if (recordItems)
        {
            (_itemStarts ??= []).Add(current.Start);
        }

        switch (current)
        {
            case Scalar scalar:
            {
                parser.MoveNext();
                _nodes++;
                _bytes += scalar.Value.Length + 2;
                var resolved = YamlScalars.Resolve(scalar);
                var node = ToNode(resolved, scalar);
                Remember(scalar, node, 1, scalar.Value.Length + 2, resolved.Type == ScalarType.Null ? null : YamlScalars.KeyText(scalar, out _));
                return node;
            }

            case AnchorAlias alias:
            {
                parser.MoveNext();
                var anchor = Find(alias);
                budget.Spend(anchor.Nodes, anchor.Bytes, _nodes - budget.ExpandedNodes, alias.Start);
                _nodes += anchor.Nodes;
                _bytes += anchor.Bytes;
                return anchor.Node?.DeepClone();
            }

            case SequenceStart sequence:
            {
                CheckDepth(depth, sequence.Start);
                parser.MoveNext();
                var start = _nodes++;
                var startBytes = _bytes;
                var array = new JsonArray();
                var itemsHere = depth == 1 && _pendingItems;
                _pendingItems = false;
                while (parser.Current is not SequenceEnd)
                {
                    array.Add(ReadNode(parser, depth + 1, itemsHere));
                }

                parser.MoveNext();
                Remember(sequence, array, _nodes - start, _bytes - startBytes, null);
                return array;
            }

            case MappingStart mapping:
            {
                CheckDepth(depth, mapping.Start);
                parser.MoveNext();
                var start = _nodes++;
                var startBytes = _bytes;
                var obj = ReadMapping(parser, depth);
                Remember(mapping, obj, _nodes - start, _bytes - startBytes, null);
                return obj;
            }

            default:
                throw new YamlConversionException(ManifestErrorKind.SyntaxError, current.Start, $"unexpected {current.GetType().Name} in a document.");
        }
    }

    private bool _pendingItems;

    private JsonObject ReadMapping(IParser parser, int depth)
    {
        var obj = new JsonObject();
        var keyLines = new Dictionary<string, long>(StringComparer.Ordinal);
        List<JsonObject>? merges = null;
        while (parser.Current is not MappingEnd)
        {
            var keyEvent = parser.Current!;
            if (keyEvent is Scalar mergeKey && YamlScalars.IsMergeKey(mergeKey))
            {
                parser.MoveNext();
                var valueStart = parser.Current!.Start;
                var value = ReadNode(parser, depth + 1, recordItems: false);
                merges ??= [];
                switch (value)
                {
                    case JsonObject single:
                        merges.Add(single);
                        break;
                    case JsonArray list when list.All(item => item is JsonObject):
                        merges.AddRange(list.Select(item => (JsonObject)item!));
                        break;
                    default:
                        throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, valueStart,
                            "the merge key '<<' needs a mapping, an alias to a mapping, or a list of those.");
                }

                continue;
            }

            var key = ReadKey(parser);
            if (keyLines.TryGetValue(key, out var firstLine) && duplicateKeysAreErrors)
            {
                throw new YamlConversionException(ManifestErrorKind.DuplicateKey, keyEvent.Start,
                    $"duplicate key '{YamlScalars.Shorten(key)}': it is already defined in this mapping (line {firstLine} of the document). Remove one of them; in strict mode duplicates are errors because only the last would take effect.");
            }

            keyLines[key] = keyEvent.Start.Line;
            _pendingItems = depth == 0 && key == "items";
            var child = ReadNode(parser, depth + 1, recordItems: false);
            _pendingItems = false;
            obj[key] = child;
        }

        parser.MoveNext();
        if (merges is not null)
        {
            foreach (var source in merges)
            {
                foreach (var (key, value) in source)
                {
                    if (!obj.ContainsKey(key))
                    {
                        obj[key] = value?.DeepClone();
                    }
                }
            }
        }

        return obj;
    }

    private string ReadKey(IParser parser)
    {
        var keyEvent = parser.Current!;
        switch (keyEvent)
        {
            case Scalar scalar:
                parser.MoveNext();
                _nodes++;
                _bytes += scalar.Value.Length + 2;
                var key = YamlScalars.KeyText(scalar, out var problem) ?? throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, scalar.Start, problem!);
                Remember(scalar, ToNode(YamlScalars.Resolve(scalar), scalar), 1, scalar.Value.Length + 2, key);
                return key;
            case AnchorAlias alias:
                parser.MoveNext();
                var anchor = Find(alias);
                budget.Spend(1, anchor.Bytes, _nodes - budget.ExpandedNodes, alias.Start);
                _nodes++;
                return anchor.KeyText ?? throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, alias.Start,
                    $"the alias *{alias.Value} is used as a mapping key but refers to a mapping or sequence; JSON keys must be strings.");
            default:
                throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, keyEvent.Start,
                    "a mapping or sequence is used as a mapping key; Kubernetes manifests (JSON) only allow string keys.");
        }
    }

    private static JsonNode? ToNode(ResolvedScalar resolved, Scalar scalar) => resolved.Type switch
    {
        ScalarType.Null => null,
        ScalarType.Bool => JsonValue.Create(resolved.Bool),
        ScalarType.Int => JsonValue.Create(resolved.Int),
        ScalarType.UInt => JsonValue.Create(resolved.UInt),
        ScalarType.Float when double.IsFinite(resolved.Float) => JsonValue.Create(resolved.Float),
        ScalarType.Float => throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, scalar.Start,
            $"'{scalar.Value}' is not a finite number and cannot be represented in JSON (Kubernetes rejects it too). Quote it to make it a string."),
        _ => JsonValue.Create(resolved.Text),
    };

    private void Remember(NodeEvent node, JsonNode? value, long nodes, long bytes, string? keyText)
    {
        if (!node.Anchor.IsEmpty)
        {
            _anchors[node.Anchor.Value] = (value, nodes, bytes, keyText);
        }
    }

    private (JsonNode? Node, long Nodes, long Bytes, string? KeyText) Find(AnchorAlias alias) =>
        _anchors.TryGetValue(alias.Value.Value, out var anchor)
            ? anchor
            : throw new YamlConversionException(ManifestErrorKind.SyntaxError, alias.Start,
                $"the alias *{alias.Value} refers to no anchor defined before it in this document. Define &{alias.Value} first (anchors do not cross '---').");

    private void CheckDepth(int depth, Mark at)
    {
        if (depth >= limits.MaxDepth)
        {
            throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, at, $"the document nests mappings and sequences more than {limits.MaxDepth} levels deep.");
        }
    }
}
