namespace Handoff.Yaml.Text;

/// <summary>
/// Line starts of a text, built once in one pass. Line breaks are CRLF, LF or a lone CR, as in YAML,
/// so line numbers agree with the parser's marks. Lines are 0-based here; messages add one.
/// </summary>
internal sealed class LineMap
{
    private readonly string _text;
    private readonly List<int> _starts = [0];

    public LineMap(string text)
    {
        _text = text;
        string? newLine = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                newLine ??= "\n";
                _starts.Add(i + 1);
            }
            else if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    newLine ??= "\r\n";
                    i++;
                }
                else
                {
                    newLine ??= "\r";
                }

                _starts.Add(i + 1);
            }
        }

        NewLine = newLine ?? "\n";
    }

    public string NewLine { get; }

    public int Count => _starts.Count;

    public int LineOf(int offset)
    {
        var index = _starts.BinarySearch(offset);
        return index >= 0 ? index : ~index - 1;
    }

    public int StartOf(int line) => _starts[line];

    /// <summary>Offset just past the line's content, before its line break (if any).</summary>
    public int ContentEndOf(int line)
    {
        var end = line + 1 < _starts.Count ? _starts[line + 1] : _text.Length;
        while (end > _starts[line] && (_text[end - 1] == '\n' || _text[end - 1] == '\r'))
        {
            end--;
        }

        return end;
    }

    /// <summary>True when the line ends with a line break (false only for a last line without final newline).</summary>
    public bool HasBreak(int line) => line + 1 < _starts.Count;

    public int NextLineStart(int line) => line + 1 < _starts.Count ? _starts[line + 1] : _text.Length;

    /// <summary>Count of leading spaces of the line.</summary>
    public int IndentOf(int line)
    {
        var start = _starts[line];
        var i = start;
        while (i < _text.Length && _text[i] == ' ')
        {
            i++;
        }

        return i - start;
    }

    public bool IsBlank(int line)
    {
        var end = ContentEndOf(line);
        for (var i = _starts[line]; i < end; i++)
        {
            if (_text[i] is not (' ' or '\t'))
            {
                return false;
            }
        }

        return true;
    }

    public bool IsComment(int line)
    {
        var end = ContentEndOf(line);
        for (var i = _starts[line]; i < end; i++)
        {
            if (_text[i] is ' ' or '\t')
            {
                continue;
            }

            return _text[i] == '#';
        }

        return false;
    }

    /// <summary>Number of line breaks in <paramref name="text"/>, ignoring one that ends it.</summary>
    public static int CountBreaks(ReadOnlySpan<char> text, bool ignoreTrailing)
    {
        if (ignoreTrailing && text.Length > 0)
        {
            if (text.EndsWith("\r\n"))
            {
                text = text[..^2];
            }
            else if (text[^1] is '\n' or '\r')
            {
                text = text[..^1];
            }
        }

        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                count++;
            }
            else if (text[i] == '\r')
            {
                count++;
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
        }

        return count;
    }
}
