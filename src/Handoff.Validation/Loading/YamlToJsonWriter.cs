using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Handoff.Validation.Loading;

/// <summary>The JSON form of one YAML document, plus the positions the loader needs without a second parse.</summary>
internal sealed class ConvertedDocument(JsonElement? root, Mark rootStart, List<Mark>? itemStarts)
{
    /// <summary>Null for an empty document (nothing, comments only, or a null scalar).</summary>
    public JsonElement? Root { get; } = root;

    public Mark RootStart { get; } = rootStart;

    /// <summary>Start of each entry of a top-level <c>items</c> sequence (for <c>kind: List</c>).</summary>
    public List<Mark>? ItemStarts { get; } = itemStarts;
}

/// <summary>Signals that a document needs <see cref="YamlToJsonTree"/> (merge keys, or duplicate keys where the last one wins).</summary>
internal sealed class NeedsTreeBuildException() : Exception("The document needs the tree builder.");

/// <summary>
/// Streams YAML parser events straight into UTF-8 JSON, without an intermediate object tree: the hot
/// path of loading. Anchors are kept as their JSON bytes, so an alias is a byte copy. Documents with
/// merge keys or (non-strict) duplicate keys are handed to the tree builder, which has the semantics
/// those need. One instance per thread; it reuses its buffers.
/// </summary>
internal sealed class YamlToJsonWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
        MaxDepth = 4096,
    };

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4096 };

    private const int KeepBufferBytes = 4 << 20;

    private ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private Utf8JsonWriter _writer;
    private Frame[] _frames = new Frame[16];
    private readonly Dictionary<string, Anchor> _anchors = new(StringComparer.Ordinal);
    private readonly List<OpenAnchor> _openAnchors = [];
    private int _depth;
    private long _nodes;

    public YamlToJsonWriter()
    {
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    /// <summary>Reads one document's node; the parser is positioned just after DocumentStart and is left on DocumentEnd.</summary>
    public ConvertedDocument Convert(IParser parser, bool duplicateKeysAreErrors, AliasBudget budget, LoaderLimits limits)
    {
        try
        {
            return ConvertCore(parser, duplicateKeysAreErrors, budget, limits);
        }
        finally
        {
            Reset();
        }
    }

    private ConvertedDocument ConvertCore(IParser parser, bool duplicateKeysAreErrors, AliasBudget budget, LoaderLimits limits)
    {
        var rootStart = parser.Current!.Start;
        List<Mark>? itemStarts = null;
        var rootIsNull = false;
        do
        {
            var current = parser.Current!;
            if (_depth > 0 && _frames[_depth - 1].ExpectKey && current is not MappingEnd)
            {
                WriteKey(current, duplicateKeysAreErrors, budget);
                continue;
            }

            switch (current)
            {
                case Scalar scalar:
                    var resolved = YamlScalars.Resolve(scalar);
                    if (resolved.Type == ScalarType.Float && !double.IsFinite(resolved.Float))
                    {
                        throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, scalar.Start,
                            $"'{scalar.Value}' is not a finite number and cannot be represented in JSON (Kubernetes rejects it too). Quote it to make it a string.");
                    }

                    rootIsNull = _depth == 0 && resolved.Type == ScalarType.Null;
                    BeginNode(scalar, ref itemStarts);
                    resolved.WriteTo(_writer);
                    if (!scalar.Anchor.IsEmpty)
                    {
                        _anchors[scalar.Anchor.Value] = new Anchor(SerializeScalar(resolved), 1, resolved.Type == ScalarType.Null ? null : YamlScalars.KeyText(scalar, out _));
                    }

                    EndValue();
                    break;
                case MappingStart mapping:
                    BeginNode(mapping, ref itemStarts);
                    BeginAnchor(mapping);
                    _writer.WriteStartObject();
                    Push(isMapping: true, limits, mapping.Start);
                    break;
                case SequenceStart sequence:
                    BeginNode(sequence, ref itemStarts);
                    BeginAnchor(sequence);
                    _writer.WriteStartArray();
                    Push(isMapping: false, limits, sequence.Start);
                    break;
                case MappingEnd:
                    _writer.WriteEndObject();
                    Pop();
                    EndValue();
                    break;
                case SequenceEnd:
                    _writer.WriteEndArray();
                    Pop();
                    EndValue();
                    break;
                case AnchorAlias alias:
                    var anchor = FindAnchor(alias);
                    budget.Spend(anchor.Nodes, anchor.Json.Length, _nodes - budget.ExpandedNodes, alias.Start);
                    RecordItemStart(alias.Start, ref itemStarts);
                    _nodes += anchor.Nodes;
                    _writer.WriteRawValue(anchor.Json, skipInputValidation: true);
                    EndValue();
                    break;
                default:
                    throw new YamlConversionException(ManifestErrorKind.SyntaxError, current.Start, $"unexpected {current.GetType().Name} in a document.");
            }
        }
        while (_depth > 0 && parser.MoveNext());

        parser.MoveNext();
        if (rootIsNull)
        {
            return new ConvertedDocument(null, rootStart, null);
        }

        _writer.Flush();
        var reader = new Utf8JsonReader(_buffer.WrittenSpan, ReaderOptions);
        return new ConvertedDocument(JsonElement.ParseValue(ref reader), rootStart, itemStarts);

        void WriteKey(ParsingEvent keyEvent, bool strictKeys, AliasBudget aliasBudget)
        {
            ref var frame = ref _frames[_depth - 1];
            string key;
            switch (keyEvent)
            {
                case Scalar scalar:
                    if (YamlScalars.IsMergeKey(scalar))
                    {
                        throw new NeedsTreeBuildException();
                    }

                    key = YamlScalars.KeyText(scalar, out var problem) ?? throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, scalar.Start, problem!);
                    if (!scalar.Anchor.IsEmpty)
                    {
                        _anchors[scalar.Anchor.Value] = new Anchor(SerializeScalar(YamlScalars.Resolve(scalar)), 1, key);
                    }

                    _nodes++;
                    break;
                case AnchorAlias alias:
                    var anchor = FindAnchor(alias);
                    key = anchor.KeyText ?? throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, alias.Start,
                        $"the alias *{alias.Value} is used as a mapping key but refers to a mapping or sequence; JSON keys must be strings.");
                    aliasBudget.Spend(1, key.Length, _nodes - aliasBudget.ExpandedNodes, alias.Start);
                    _nodes++;
                    break;
                default:
                    throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, keyEvent.Start,
                        "a mapping or sequence is used as a mapping key; Kubernetes manifests (JSON) only allow string keys.");
            }

            var keys = frame.Keys ??= new Dictionary<string, int>(StringComparer.Ordinal);
            var line = (int)keyEvent.Start.Line;
            if (!keys.TryAdd(key, line))
            {
                if (!strictKeys)
                {
                    throw new NeedsTreeBuildException();
                }

                throw new YamlConversionException(ManifestErrorKind.DuplicateKey, keyEvent.Start,
                    $"duplicate key '{YamlScalars.Shorten(key)}': it is already defined in this mapping (line {keys[key]} of the document). Remove one of them; in strict mode duplicates are errors because only the last would take effect.");
            }

            frame.ExpectKey = false;
            frame.PendingItems = _depth == 1 && key == "items";
            _writer.WritePropertyName(key);
        }
    }

    private void BeginNode(NodeEvent node, ref List<Mark>? itemStarts)
    {
        _nodes++;
        RecordItemStart(node.Start, ref itemStarts);
    }

    private void RecordItemStart(Mark start, ref List<Mark>? itemStarts)
    {
        if (_depth > 0 && _frames[_depth - 1].RecordItems)
        {
            (itemStarts ??= []).Add(start);
        }
    }

    private void BeginAnchor(NodeEvent node)
    {
        if (node.Anchor.IsEmpty)
        {
            return;
        }

        _writer.Flush();
        _openAnchors.Add(new OpenAnchor(node.Anchor.Value, _depth, _buffer.WrittenCount, _nodes - 1));
    }

    private void Push(bool isMapping, LoaderLimits limits, Mark at)
    {
        if (_depth >= limits.MaxDepth)
        {
            throw new YamlConversionException(ManifestErrorKind.UnsupportedValue, at, $"the document nests mappings and sequences more than {limits.MaxDepth} levels deep.");
        }

        var recordItems = _depth == 1 && _frames[0].PendingItems && !isMapping;
        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        ref var frame = ref _frames[_depth];
        frame.IsMapping = isMapping;
        frame.ExpectKey = isMapping;
        frame.PendingItems = false;
        frame.RecordItems = recordItems;
        frame.Keys?.Clear();
        _depth++;
    }

    private void Pop()
    {
        _depth--;
        if (_openAnchors.Count > 0 && _openAnchors[^1].Depth == _depth)
        {
            var open = _openAnchors[^1];
            _openAnchors.RemoveAt(_openAnchors.Count - 1);
            _writer.Flush();
            var span = _buffer.WrittenSpan[open.Offset..];
            if (span.Length > 0 && span[0] == (byte)',')
            {
                span = span[1..];
            }

            _anchors[open.Name] = new Anchor(span.ToArray(), _nodes - open.NodesBefore, null);
        }
    }

    private void EndValue()
    {
        if (_depth > 0)
        {
            ref var frame = ref _frames[_depth - 1];
            if (frame.IsMapping)
            {
                frame.ExpectKey = true;
            }

            if (_depth == 1)
            {
                frame.PendingItems = false;
            }
        }
    }

    private Anchor FindAnchor(AnchorAlias alias) =>
        _anchors.TryGetValue(alias.Value.Value, out var anchor)
            ? anchor
            : throw new YamlConversionException(ManifestErrorKind.SyntaxError, alias.Start,
                $"the alias *{alias.Value} refers to no anchor defined before it in this document. Define &{alias.Value} first (anchors do not cross '---').");

    private static byte[] SerializeScalar(ResolvedScalar scalar)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            scalar.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void Reset()
    {
        _depth = 0;
        _nodes = 0;
        _anchors.Clear();
        _openAnchors.Clear();
        if (_buffer.Capacity > KeepBufferBytes)
        {
            // One huge document should not pin its buffer for the rest of the run.
            _buffer = new ArrayBufferWriter<byte>(16 * 1024);
        }
        else
        {
            _buffer.ResetWrittenCount();
        }

        _writer.Reset(_buffer);
    }

    private struct Frame
    {
        public bool IsMapping;
        public bool ExpectKey;
        public bool PendingItems;
        public bool RecordItems;
        public Dictionary<string, int>? Keys;
    }

    private readonly record struct Anchor(byte[] Json, long Nodes, string? KeyText);

    private readonly record struct OpenAnchor(string Name, int Depth, int Offset, long NodesBefore);
}
