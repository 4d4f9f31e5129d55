using System.Text;
using Handoff.Yaml.Text;

namespace Handoff.Yaml.Editing;

/// <summary>Replace <c>[Start, End)</c> of the body with <see cref="Text"/>; an insertion has Start == End.</summary>
internal readonly record struct TextEdit(int Start, int End, string Text);

/// <summary>
/// Collects splices of the original text and applies them in one pass. Everything between the splices
/// is copied unchanged, which is what keeps comments, spacing and line endings byte-identical.
/// Splices at the same offset keep the order they were added in.
/// </summary>
internal sealed class TextEdits(SourceText source)
{
    private readonly List<TextEdit> _edits = [];

    public SourceText Source { get; } = source;

    public void Replace(int start, int end, string text)
    {
        if (end - start == text.Length && string.CompareOrdinal(Source.Body, start, text, 0, text.Length) == 0)
        {
            return;
        }

        _edits.Add(new TextEdit(start, end, text));
    }

    public void Insert(int offset, string text) => Replace(offset, offset, text);

    public YamlEdit Apply()
    {
        if (_edits.Count == 0)
        {
            return new YamlEdit(Source.Original, false, []);
        }

        var ordered = _edits.Select((edit, order) => (edit, order)).OrderBy(x => x.edit.Start).ThenBy(x => x.order).Select(x => x.edit).ToList();
        var body = Source.Body;
        var lines = Source.Lines;
        var builder = new StringBuilder(body.Length + ordered.Sum(e => e.Text.Length));
        var changed = new SortedSet<int>();
        var copied = 0;
        var lineDelta = 0;
        foreach (var edit in ordered)
        {
            if (edit.Start < copied)
            {
                throw new InvalidOperationException($"Overlapping YAML edits at offset {edit.Start}.");
            }

            builder.Append(body, copied, edit.Start - copied);
            var firstLine = lines.LineOf(edit.Start) + lineDelta;
            var lastLine = firstLine + LineMap.CountBreaks(edit.Text, ignoreTrailing: true);
            for (var line = firstLine; line <= lastLine; line++)
            {
                changed.Add(line + 1);
            }

            builder.Append(edit.Text);
            lineDelta += LineMap.CountBreaks(edit.Text, ignoreTrailing: false) - LineMap.CountBreaks(body.AsSpan(edit.Start, edit.End - edit.Start), ignoreTrailing: false);
            copied = edit.End;
        }

        builder.Append(body, copied, body.Length - copied);
        return new YamlEdit(Source.Compose(builder.ToString()), true, changed.ToList());
    }
}
