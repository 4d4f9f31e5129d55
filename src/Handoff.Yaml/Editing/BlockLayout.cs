using Handoff.Yaml.Text;
using Handoff.Yaml.Tree;

namespace Handoff.Yaml.Editing;

/// <summary>Where new lines go in a block collection and how they are indented, in the file's own line ending.</summary>
internal sealed class BlockLayout(SourceText source)
{
    private readonly LineMap _lines = source.Lines;
    private readonly string _text = source.Body;

    public string NewLine => source.NewLine;

    /// <summary>
    /// The offset after an entry's last line: past a nested block, and past the comment lines right after it
    /// that are indented deeper than <paramref name="ownColumn"/> (they belong to the entry). Blank lines
    /// and comments at the sibling column stay below the new line, with whatever they describe.
    /// </summary>
    public LineSlot After(int contentEnd, int ownColumn)
    {
        var line = _lines.LineOf(Math.Max(contentEnd - 1, 0));
        while (line + 1 < _lines.Count && _lines.IsComment(line + 1) && _lines.IndentOf(line + 1) + 1 > ownColumn)
        {
            line++;
        }

        return SlotAfterLine(line);
    }

    public LineSlot SlotAfterLine(int line) =>
        _lines.HasBreak(line) ? new LineSlot(_lines.NextLineStart(line), AtEndWithoutBreak: false) : new LineSlot(_text.Length, AtEndWithoutBreak: true);

    /// <summary>Text of whole lines to insert at <paramref name="slot"/>: each line ends with the file's break, unless the file has no final one.</summary>
    public string Lines(LineSlot slot, IEnumerable<string> lines)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            if (slot.AtEndWithoutBreak)
            {
                builder.Append(NewLine).Append(line);
            }
            else
            {
                builder.Append(line).Append(NewLine);
            }
        }

        return builder.ToString();
    }

    /// <summary>Offset where the run of spaces and tabs ending at <paramref name="offset"/> starts.</summary>
    public int SpaceBefore(int offset)
    {
        while (offset > 0 && _text[offset - 1] is ' ' or '\t')
        {
            offset--;
        }

        return offset;
    }

    public int LineOf(int offset) => _lines.LineOf(offset);

    public int IndentOf(int line) => _lines.IndentOf(line);

    public static string Indent(int columns) => new(' ', columns);
}

/// <summary>An insertion offset at a line boundary; at the end of a file without a final newline, lines are prefixed with a break instead.</summary>
internal readonly record struct LineSlot(int Offset, bool AtEndWithoutBreak);
