namespace Handoff.Yaml.Text;

/// <summary>
/// The user's file split into what YAML sees (<see cref="Body"/>) and what it does not: a leading BOM,
/// which the YamlDotNet scanner would otherwise read as part of the first key. Edits work on the body;
/// <see cref="Compose"/> puts the BOM back so the file keeps it.
/// </summary>
internal sealed class SourceText
{
    private const char ByteOrderMark = '\uFEFF';
    private LineMap? _lines;

    public SourceText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        HasBom = text.Length > 0 && text[0] == ByteOrderMark;
        Body = HasBom ? text[1..] : text;
        Original = text;
    }

    public string Original { get; }
    public string Body { get; }
    public bool HasBom { get; }

    public LineMap Lines => _lines ??= new LineMap(Body);

    /// <summary>The file's own line ending (its first one), so inserted lines match the rest; LF for a one-line file.</summary>
    public string NewLine => Lines.NewLine;

    public string Compose(string body) => HasBom ? ByteOrderMark + body : body;
}
