using Handoff.Yaml.Paths;
using Handoff.Yaml.Text;
using Handoff.Yaml.Tree;
using YamlDotNet.Core;

namespace Handoff.Yaml.Editing;

/// <summary>
/// Turns "set these keys of this node" into splices of the original text: a scalar is replaced in place
/// in its own style (its comment and spacing untouched), a missing key becomes one new line beside its
/// siblings, an empty value (<c>image:</c>, <c>image: {}</c>) becomes a block mapping.
/// </summary>
internal sealed class NodeEditor
{
    private readonly SourceText _source;
    private readonly DocumentTree _document;
    private readonly string _fileName;
    private readonly BlockLayout _layout;
    private IndentStyle? _indent;

    public NodeEditor(SourceText source, DocumentTree document, string fileName, TextEdits edits)
    {
        _source = source;
        _document = document;
        _fileName = fileName;
        _layout = new BlockLayout(source);
        Edits = edits;
    }

    public TextEdits Edits { get; }

    public BlockLayout Layout => _layout;

    public IndentStyle Indent => _indent ??= IndentStyle.Infer(_document, _source.Body);

    /// <summary>Sets the keys of the mapping at <paramref name="target"/>; <paramref name="parentIsFlow"/> tells whether it sits inside [...] or {...}.</summary>
    public void SetEntries(PathStep target, bool parentIsFlow, IReadOnlyList<EntryWrite> writes)
    {
        switch (target.Value)
        {
            case MappingNode { IsFlow: false } mapping:
                SetInBlockMapping(mapping, target.Display, writes);
                break;
            case MappingNode { IsFlow: true, Entries.Count: 0 } empty when !parentIsFlow && target.Key is not null:
                var open = _source.Body.LastIndexOf('{', empty.FlowEnd);
                Edits.Replace(_layout.SpaceBefore(open), empty.FlowEnd + 1, "");
                WriteBlockMapping(target.Key, empty.ContentEnd, writes);
                break;
            case MappingNode { IsFlow: true } mapping:
                SetInFlowMapping(mapping, target.Display, writes, IsJsonStyle(mapping.Entries.Count > 0 ? mapping.Entries[0].Key : target.Key));
                break;
            case ScalarNode { IsNull: true } empty when target.Key is not null && parentIsFlow:
                var json = IsJsonStyle(target.Key);
                var flow = "{" + string.Join(", ", writes.Select(w => FlowEntry(w, json))) + "}";
                if (empty.TextStart == empty.End)
                {
                    InsertIntoEmpty(empty.End, flow);
                }
                else
                {
                    Edits.Replace(empty.TextStart, empty.End, flow);
                }

                break;
            case ScalarNode { IsNull: true } empty when target.Key is not null:
                if (empty.TextStart != empty.End)
                {
                    Edits.Replace(_layout.SpaceBefore(empty.TextStart), empty.End, "");
                }

                WriteBlockMapping(target.Key, Math.Max(empty.ContentEnd, target.Key.ContentEnd), writes);
                break;
            default:
                var node = target.Value;
                throw new YamlEditException(_fileName, node.Line, node.Column,
                    $"{WriteGuard.Where(target.Display)} is {WriteGuard.Describe(node)}, not a mapping, so `{string.Join("`/`", writes.Select(w => w.Key))}` cannot be set in it.",
                    "Fix: point the path at the mapping that holds these keys (for an image, the mapping with `repository:`/`tag:`), or set a single value with a scalar path.");
        }
    }

    /// <summary>Replaces a scalar's text with <paramref name="value"/>, keeping its quoting style where that stays a string.</summary>
    public void ReplaceScalar(ScalarNode scalar, string value, bool inFlow, string display)
    {
        if (scalar.IsBlock)
        {
            ReplaceBlockScalar(scalar, value, display);
            return;
        }

        if (!scalar.IsNull && ScalarWriter.Holds(scalar.Value, scalar.Style, value, inFlow))
        {
            return;
        }

        var text = ScalarWriter.Write(value, scalar.IsNull ? ScalarStyle.Plain : scalar.Style, inFlow);
        if (scalar.TextStart == scalar.End)
        {
            InsertIntoEmpty(scalar.End, text);
        }
        else
        {
            Edits.Replace(scalar.TextStart, scalar.End, text);
        }
    }

    /// <summary>
    /// Writes a value where the parser saw an empty one: reuses the space after the colon when there is one,
    /// and keeps a following comment separated (<c>key: # note</c> becomes <c>key: value # note</c>).
    /// </summary>
    private void InsertIntoEmpty(int position, string text)
    {
        var body = _source.Body;
        if (position > 0 && body[position - 1] is ' ' or '\t')
        {
            Edits.Insert(position, position < body.Length && body[position] == '#' ? text + " " : text);
        }
        else if (position + 1 < body.Length && body[position] == ' ' && body[position + 1] != '#')
        {
            Edits.Insert(position + 1, text);
        }
        else
        {
            Edits.Insert(position, " " + text);
        }
    }

    /// <summary>Checks a value about to be replaced: it must be this place's own scalar.</summary>
    public ScalarNode RequireOwnScalar(Node value, string display)
    {
        if (WriteGuard.Check(_document, value, display, _fileName) is { } error)
        {
            throw error;
        }

        return value as ScalarNode ?? throw new YamlEditException(_fileName, value.Line, value.Column,
            $"`{display}` is {value.KindName}, not a single value, so it cannot be set to a string.",
            $"Fix: check the path; `{display}` must hold a plain value such as a tag or digest.");
    }

    private void SetInBlockMapping(MappingNode mapping, string display, IReadOnlyList<EntryWrite> writes)
    {
        var keyColumn = EntryColumn(mapping.Entries[0].Key);
        var insertions = new Insertions();
        foreach (var write in writes)
        {
            var childDisplay = WriteGuard.Join(display, write.Key);
            if (FindOwn(mapping, write.Key, display) is { } existing)
            {
                ReplaceScalar(RequireOwnScalar(existing.Value, childDisplay), write.Value, inFlow: false, childDisplay);
                continue;
            }

            var line = BlockLayout.Indent(keyColumn - 1) + write.Key + ": " + ScalarWriter.Write(write.Value, ScalarStyle.Plain, inFlow: false);
            Place(insertions, mapping, write, line, entry => _layout.After(EntryEnd(entry), keyColumn).Offset, _layout.After(mapping.ContentEnd, keyColumn).Offset);
        }

        foreach (var (offset, text) in insertions.Render((offset, lines) => _layout.Lines(SlotAt(offset), lines)))
        {
            Edits.Insert(offset, text);
        }
    }

    private void SetInFlowMapping(MappingNode mapping, string display, IReadOnlyList<EntryWrite> writes, bool json)
    {
        var insertions = new Insertions();
        foreach (var write in writes)
        {
            var childDisplay = WriteGuard.Join(display, write.Key);
            if (FindOwn(mapping, write.Key, display) is { } existing)
            {
                ReplaceScalar(RequireOwnScalar(existing.Value, childDisplay), write.Value, inFlow: true, childDisplay);
                continue;
            }

            var entry = FlowEntry(write, json);
            var end = mapping.Entries.Count == 0 ? mapping.FlowEnd : EntryEnd(mapping.Entries[^1]);
            Place(insertions, mapping, write, entry, EntryEnd, end);
        }

        var emptyAt = mapping.Entries.Count == 0 ? mapping.FlowEnd : -1;
        foreach (var (offset, text) in insertions.Render((offset, entries) => offset == emptyAt
                     ? string.Join(", ", entries)
                     : string.Concat(entries.Select(e => ", " + e))))
        {
            Edits.Insert(offset, text);
        }
    }

    /// <summary>A flow mapping written JSON-style (double-quoted keys) stays JSON: new keys and values are double-quoted too.</summary>
    private static bool IsJsonStyle(Node? key) => key is ScalarNode { Style: ScalarStyle.DoubleQuoted };

    private static string FlowEntry(EntryWrite write, bool json) => json
        ? ScalarWriter.DoubleQuote(write.Key) + ": " + ScalarWriter.DoubleQuote(write.Value)
        : write.Key + ": " + ScalarWriter.Write(write.Value, ScalarStyle.Plain, inFlow: true);

    private void Place(Insertions insertions, MappingNode mapping, EntryWrite write, string text, Func<(Node Key, Node Value), int> offsetAfter, int endOffset)
    {
        foreach (var anchor in write.After)
        {
            if (insertions.TryGetOffset(anchor, out _))
            {
                insertions.AddAfterNew(anchor, write.Key, text);
                return;
            }

            if (MappingLookup.Find(mapping, anchor, out _) is { } sibling)
            {
                insertions.AddAfterExisting(offsetAfter((sibling.Key, sibling.Value)), write.Key, text);
                return;
            }
        }

        insertions.AddAtEnd(endOffset, write.Key, text);
    }

    /// <summary>Writes <paramref name="writes"/> as a new block mapping on the lines after <paramref name="key"/>.</summary>
    private void WriteBlockMapping(Node key, int lineContentEnd, IReadOnlyList<EntryWrite> writes)
    {
        var slot = _layout.SlotAfterLine(_layout.LineOf(Math.Max(lineContentEnd - 1, 0)));
        var indent = BlockLayout.Indent(key.Column - 1 + Indent.Step);
        Edits.Insert(slot.Offset, _layout.Lines(slot, writes.Select(w => indent + w.Key + ": " + ScalarWriter.Write(w.Value, ScalarStyle.Plain, inFlow: false))));
    }

    /// <summary>
    /// A block scalar (<c>|</c>, <c>&gt;</c>) keeps its style and header comment; its chomping becomes
    /// strip (<c>-</c>) so the value has no trailing newline, and its content becomes the one line.
    /// </summary>
    private void ReplaceBlockScalar(ScalarNode scalar, string value, string display)
    {
        if (scalar.Value == value)
        {
            return;
        }

        if (value.Length == 0 || value.Contains('\n') || value.Contains('\r') || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            throw new YamlEditException(_fileName, scalar.Line, scalar.Column,
                $"`{display}` is a block scalar ({_source.Body[scalar.TextStart]}) and the new value is empty, spans lines or has outer spaces, which a one-line block scalar cannot hold.",
                $"Fix: write `{display}` as a quoted value on its key line, then run again.");
        }

        var body = _source.Body;
        var header = scalar.TextStart;
        var indicatorsEnd = header + 1;
        while (indicatorsEnd < scalar.End && body[indicatorsEnd] is '+' or '-' or (>= '1' and <= '9'))
        {
            indicatorsEnd++;
        }

        Edits.Replace(header + 1, indicatorsEnd, "-");
        var headerLine = _layout.LineOf(header);
        var contentStart = _source.Lines.NextLineStart(headerLine);
        var last = scalar.End;
        while (last > contentStart && char.IsWhiteSpace(body[last - 1]))
        {
            last--;
        }

        if (last > contentStart)
        {
            var firstContentLine = headerLine + 1;
            while (_source.Lines.IsBlank(firstContentLine))
            {
                firstContentLine++;
            }

            Edits.Replace(contentStart, last, BlockLayout.Indent(_layout.IndentOf(firstContentLine)) + value);
        }
        else
        {
            var slot = _layout.SlotAfterLine(headerLine);
            Edits.Insert(slot.Offset, _layout.Lines(slot, [BlockLayout.Indent(_layout.IndentOf(headerLine) + Indent.Step) + value]));
        }
    }

    private MappingLookup.Entry? FindOwn(MappingNode mapping, string key, string display)
    {
        var found = MappingLookup.Find(mapping, key, out var duplicate);
        if (found is { } first && duplicate is { } second)
        {
            throw WriteGuard.Duplicate(first, second, key, display, _fileName);
        }

        return found;
    }

    /// <summary>Column where an entry starts: its key, or the `?` of an explicit key (<c>? tag</c>).</summary>
    private int EntryColumn(Node key)
    {
        var body = _source.Body;
        var i = key.Start - 1;
        while (i >= 0 && body[i] is ' ' or '\t')
        {
            i--;
        }

        return i >= 0 && body[i] == '?' ? key.Column - (key.Start - i) : key.Column;
    }

    private static int EntryEnd((Node Key, Node Value) entry) => Math.Max(entry.Key.ContentEnd, entry.Value.ContentEnd);

    private LineSlot SlotAt(int offset) =>
        offset == _source.Body.Length && (offset == 0 || _source.Body[offset - 1] is not ('\n' or '\r'))
            ? new LineSlot(offset, AtEndWithoutBreak: true)
            : new LineSlot(offset, AtEndWithoutBreak: false);
}
