using System.Text;

namespace Handoff.Yaml.Paths;

/// <summary>One step of a <see cref="YamlPath"/>.</summary>
internal abstract record PathSegment
{
    public abstract string Display { get; }
}

/// <summary>A mapping key (<c>image</c>, or bracketed <c>[kubernetes.io/ingress.class]</c> when it contains dots).</summary>
internal sealed record KeySegment(string Key) : PathSegment
{
    public override string Display => Key.Contains('.') || Key.Contains('[') ? $"[{Key}]" : Key;
}

/// <summary>A list item by position, <c>[0]</c>. On a mapping it reads as the key "0".</summary>
internal sealed record IndexSegment(int Index) : PathSegment
{
    public override string Display => $"[{Index}]";
}

/// <summary>The list item that is a mapping whose <see cref="Key"/> equals <see cref="Value"/>, <c>[name=app]</c>.</summary>
internal sealed record SelectSegment(string Key, string Value) : PathSegment
{
    public override string Display => $"[{Key}={Value}]";
}

/// <summary>
/// A path into a YAML document: keys separated by dots, with bracketed parts for keys that contain dots,
/// list indexes and list selectors: <c>spec.template.spec.containers[name=app].image</c>,
/// <c>ingress.annotations[kubernetes.io/ingress.class]</c>, <c>args[0]</c>. A bracketed part may be
/// quoted ('...' or "...") to force it to be read as a key.
/// </summary>
internal sealed class YamlPath
{
    private YamlPath(string text, IReadOnlyList<PathSegment> segments)
    {
        Text = text;
        Segments = segments;
    }

    public string Text { get; }
    public IReadOnlyList<PathSegment> Segments { get; }

    public override string ToString() => Text;

    public static string Format(IEnumerable<PathSegment> segments)
    {
        var builder = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment is KeySegment { Display: var display } && !display.StartsWith('[') && builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(segment.Display);
        }

        return builder.ToString();
    }

    public static YamlPath Parse(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw Invalid(path ?? "", 0, "is empty");
        }

        var segments = new List<PathSegment>();
        var i = 0;
        var expectKey = true;
        while (i < path.Length)
        {
            var c = path[i];
            if (c == '[')
            {
                var close = FindClose(path, i);
                segments.Add(ParseBracket(path, i, path.Substring(i + 1, close - i - 1)));
                i = close + 1;
                expectKey = false;
                continue;
            }

            if (c == '.')
            {
                if (expectKey)
                {
                    throw Invalid(path, i, "has an empty key (two dots in a row, or a dot at the start)");
                }

                i++;
                expectKey = true;
                if (i == path.Length)
                {
                    throw Invalid(path, i, "ends with a dot");
                }

                continue;
            }

            if (!expectKey)
            {
                throw Invalid(path, i, "needs a dot between a bracketed part and the next key");
            }

            var start = i;
            while (i < path.Length && path[i] is not ('.' or '['))
            {
                if (path[i] == ']')
                {
                    throw Invalid(path, i, "has a ']' without a matching '['");
                }

                i++;
            }

            segments.Add(new KeySegment(path[start..i]));
            expectKey = false;
        }

        return new YamlPath(path, segments);
    }

    private static int FindClose(string path, int open)
    {
        var quote = open + 1 < path.Length && path[open + 1] is '\'' or '"' ? path[open + 1] : '\0';
        var i = open + 1;
        if (quote != '\0')
        {
            var endQuote = path.IndexOf(quote, open + 2);
            if (endQuote < 0)
            {
                throw Invalid(path, open, "has an unterminated quote inside '[...]'");
            }

            i = endQuote;
        }

        var close = path.IndexOf(']', i);
        if (close < 0)
        {
            throw Invalid(path, open, "has a '[' without a matching ']'");
        }

        return close;
    }

    private static PathSegment ParseBracket(string path, int position, string content)
    {
        if (content.Length == 0)
        {
            throw Invalid(path, position, "has an empty '[]'");
        }

        if (IsQuoted(content))
        {
            return new KeySegment(content[1..^1]);
        }

        if (content.All(char.IsAsciiDigit))
        {
            return int.TryParse(content, out var index)
                ? new IndexSegment(index)
                : throw Invalid(path, position, $"has a list index '{content}' that is too large");
        }

        var equals = content.IndexOf('=');
        if (equals > 0)
        {
            var key = content[..equals].Trim();
            var value = content[(equals + 1)..].Trim();
            return new SelectSegment(key, IsQuoted(value) ? value[1..^1] : value);
        }

        return new KeySegment(content);
    }

    private static bool IsQuoted(string s) => s.Length >= 2 && s[0] is '\'' or '"' && s[^1] == s[0];

    private static YamlPathException Invalid(string path, int position, string problem) =>
        new($"The YAML path '{path}' {problem} (at character {position + 1}). " +
            "Fix: write keys separated by dots, with [key.with.dots], [0] for a list position or [name=value] to pick a list item, " +
            "e.g. image, app.image, spec.template.spec.containers[name=app].image.");
}
