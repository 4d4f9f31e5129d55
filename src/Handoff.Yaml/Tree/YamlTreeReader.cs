using Handoff.Yaml.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Handoff.Yaml.Tree;

/// <summary>
/// Reads every document of a YAML stream into <see cref="Node"/> trees with source offsets, using
/// YamlDotNet's event parser. One pass, no recursion (deep nesting cannot overflow the stack).
/// Parser errors become <see cref="YamlEditException"/> at the parser's line and column.
/// </summary>
internal static class YamlTreeReader
{
    public static IReadOnlyList<DocumentTree> Read(SourceText source, string fileName)
    {
        var progress = new Progress();
        try
        {
            return ReadDocuments(source.Body, progress);
        }
        catch (YamlException ex)
        {
            throw Malformed(source, fileName, ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this (without a position) for some unterminated flow
            // collections, e.g. "tag: [1.0"; the last event read is the best position we have.
            throw new YamlEditException(fileName, (int)progress.Last.Line, (int)progress.Last.Column,
                $"is not valid YAML after this point ({ex.Message.TrimEnd('.')}); an unclosed '[' or '{{' is the usual cause.",
                "Fix: close the flow collection or quote the value, then run again; the file was not changed.", ex);
        }
    }

    /// <summary>Where the parser got to, for errors the parser reports without a position.</summary>
    private sealed class Progress
    {
        public Mark Last { get; set; } = new(0, 1, 1);
    }

    private static List<DocumentTree> ReadDocuments(string text, Progress progress)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<DocumentTree>();
        var stack = new Stack<Frame>();
        Dictionary<string, Node> anchors = new(StringComparer.Ordinal);
        HashSet<string> referenced = new(StringComparer.Ordinal);
        Node? root = null;
        var documentLine = 1;

        while (parser.MoveNext())
        {
            var e = parser.Current!;
            progress.Last = e.End;
            switch (e)
            {
                case DocumentStart start:
                    anchors = new Dictionary<string, Node>(StringComparer.Ordinal);
                    referenced = new HashSet<string>(StringComparer.Ordinal);
                    root = null;
                    documentLine = (int)start.End.Line;
                    break;
                case DocumentEnd:
                    documents.Add(new DocumentTree(documents.Count, documentLine, root!, referenced));
                    break;
                case Scalar scalar:
                    Attach(stack, ref root, CreateScalar(text, scalar), anchors);
                    break;
                case AnchorAlias alias:
                    var name = alias.Value.Value;
                    referenced.Add(name);
                    Attach(stack, ref root, new AliasNode(alias.Start, alias.End, name, anchors.GetValueOrDefault(name)), anchors);
                    break;
                case MappingStart mapping:
                {
                    var node = new MappingNode(mapping.Start, AnchorOf(mapping), mapping.Style == MappingStyle.Flow);
                    Attach(stack, ref root, node, anchors);
                    stack.Push(new Frame(node));
                    break;
                }

                case SequenceStart sequence:
                {
                    var node = new SequenceNode(sequence.Start, AnchorOf(sequence), sequence.Style == SequenceStyle.Flow);
                    Attach(stack, ref root, node, anchors);
                    stack.Push(new Frame(node));
                    break;
                }

                case MappingEnd or SequenceEnd:
                {
                    var frame = stack.Pop();
                    var end = (int)e.Start.Index;
                    switch (frame.Node)
                    {
                        case MappingNode m:
                            m.Close(end, frame.LastChildEnd);
                            break;
                        case SequenceNode s:
                            s.Close(end, frame.LastChildEnd);
                            break;
                    }

                    if (stack.Count > 0)
                    {
                        stack.Peek().LastChildEnd = frame.Node.ContentEnd;
                    }

                    break;
                }
            }
        }

        return documents;
    }

    private static void Attach(Stack<Frame> stack, ref Node? root, Node node, Dictionary<string, Node> anchors)
    {
        if (node.Anchor is { } anchor)
        {
            anchors[anchor] = node;
        }

        if (stack.Count == 0)
        {
            root = node;
            return;
        }

        var frame = stack.Peek();
        switch (frame.Node)
        {
            case MappingNode mapping when frame.PendingKey is null:
                frame.PendingKey = node;
                break;
            case MappingNode mapping:
                mapping.Entries.Add((frame.PendingKey!, node));
                frame.PendingKey = null;
                break;
            case SequenceNode sequence:
                sequence.Items.Add(node);
                break;
        }

        frame.LastChildEnd = node.ContentEnd;
    }

    private static ScalarNode CreateScalar(string text, Scalar scalar)
    {
        var start = (int)scalar.Start.Index;
        var end = (int)scalar.End.Index;
        var anchor = AnchorOf(scalar);
        var tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? null : scalar.Tag.Value;
        var textStart = anchor is null && scalar.Tag.IsEmpty ? start : SkipProperties(text, start, end);
        var contentEnd = scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded
            ? BlockScalarContentEnd(text, textStart, end)
            : end;
        return new ScalarNode(scalar.Start, scalar.End, anchor, tag, scalar.Value, scalar.Style, textStart, contentEnd);
    }

    private static string? AnchorOf(NodeEvent e) => e.Anchor.IsEmpty ? null : e.Anchor.Value;

    /// <summary>Skips a node's anchor (<c>&amp;a</c>) and tag (<c>!t</c>), and the space or comments after them.</summary>
    internal static int SkipProperties(string text, int start, int end)
    {
        var i = start;
        while (i < end && text[i] is '&' or '!')
        {
            while (i < end && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < end)
            {
                if (char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
                else if (text[i] == '#')
                {
                    while (i < end && text[i] is not ('\n' or '\r'))
                    {
                        i++;
                    }
                }
                else
                {
                    break;
                }
            }
        }

        return i;
    }

    /// <summary>
    /// The parser ends a block scalar after its trailing blank lines; those belong to the value only
    /// with keep chomping (<c>|+</c>). Otherwise the content ends at its last non-blank character.
    /// </summary>
    private static int BlockScalarContentEnd(string text, int textStart, int end)
    {
        var i = textStart + 1;
        while (i < end && text[i] is '+' or '-' or (>= '1' and <= '9'))
        {
            if (text[i] == '+')
            {
                return end;
            }

            i++;
        }

        var last = end;
        while (last > textStart + 1 && char.IsWhiteSpace(text[last - 1]))
        {
            last--;
        }

        return last;
    }

    private static YamlEditException Malformed(SourceText source, string fileName, YamlException ex)
    {
        if (ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindTabIndent(source.Lines, source.Body) is var (line, column) && line > 0)
        {
            return new YamlEditException(fileName, line, column, "uses a tab for indentation; YAML allows only spaces there.",
                "Fix: replace the tab with spaces (keep the same indentation as the sibling keys).", ex);
        }

        return new YamlEditException(fileName, (int)ex.Start.Line, (int)ex.Start.Column, $"is not valid YAML: {ex.Message.TrimEnd('.')}.",
            "Fix: correct the syntax at that position (check indentation, quotes and ':' separators), then run again; the file was not changed.", ex);
    }

    private static (int Line, int Column) FindTabIndent(LineMap lines, string text)
    {
        for (var line = 0; line < lines.Count; line++)
        {
            var start = lines.StartOf(line);
            var end = lines.ContentEndOf(line);
            for (var i = start; i < end && text[i] is ' ' or '\t'; i++)
            {
                if (text[i] == '\t' && !lines.IsBlank(line))
                {
                    return (line + 1, i - start + 1);
                }
            }
        }

        return (0, 0);
    }

    private sealed class Frame(Node node)
    {
        public Node Node { get; } = node;
        public Node? PendingKey { get; set; }
        public int LastChildEnd { get; set; } = node.Start;
    }
}
