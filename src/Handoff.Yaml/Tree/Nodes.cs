using YamlDotNet.Core;

namespace Handoff.Yaml.Tree;

/// <summary>
/// A node of the document as the parser saw it, with its position in the source. Only offsets and a
/// few facts are kept: edits splice the original text, so nothing here is ever written back.
/// </summary>
internal abstract class Node
{
    protected Node(Mark start, string? anchor)
    {
        Start = (int)start.Index;
        Line = (int)start.Line;
        Column = (int)start.Column;
        Anchor = anchor;
    }

    /// <summary>Offset of the node's first character, including a leading anchor or tag.</summary>
    public int Start { get; }

    /// <summary>1-based, as the parser reports it and messages show it.</summary>
    public int Line { get; }

    public int Column { get; }

    public string? Anchor { get; }

    /// <summary>Offset just past the node's last meaningful character (not its trailing blank lines).</summary>
    public int ContentEnd { get; protected set; }

    public abstract string KindName { get; }
}

internal sealed class ScalarNode : Node
{
    public ScalarNode(Mark start, Mark end, string? anchor, string? tag, string value, ScalarStyle style, int textStart, int contentEnd)
        : base(start, anchor)
    {
        End = (int)end.Index;
        Tag = tag;
        Value = value;
        Style = style;
        TextStart = textStart;
        ContentEnd = contentEnd;
    }

    /// <summary>Offset just past the scalar's text as the parser ends it (a block scalar includes its trailing blank lines).</summary>
    public int End { get; }

    /// <summary>Offset of the scalar's own text, after any anchor and tag.</summary>
    public int TextStart { get; }

    public string? Tag { get; }
    public string Value { get; }
    public ScalarStyle Style { get; }

    public bool IsBlock => Style is ScalarStyle.Literal or ScalarStyle.Folded;

    /// <summary>YAML null written plain (empty, <c>~</c>, <c>null</c>) with no explicit tag.</summary>
    public bool IsNull => Style == ScalarStyle.Plain && Tag is null && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => "a scalar";
}

internal sealed class MappingNode : Node
{
    public MappingNode(Mark start, string? anchor, bool isFlow)
        : base(start, anchor)
    {
        IsFlow = isFlow;
    }

    public bool IsFlow { get; }

    public List<(Node Key, Node Value)> Entries { get; } = [];

    /// <summary>For a flow mapping: offset of its closing brace.</summary>
    public int FlowEnd { get; private set; }

    public override string KindName => "a mapping";

    public void Close(int endEventStart, int lastChildEnd)
    {
        FlowEnd = endEventStart;
        ContentEnd = IsFlow ? endEventStart + 1 : Math.Max(lastChildEnd, Start);
    }
}

internal sealed class SequenceNode : Node
{
    public SequenceNode(Mark start, string? anchor, bool isFlow)
        : base(start, anchor)
    {
        IsFlow = isFlow;
    }

    public bool IsFlow { get; }

    public List<Node> Items { get; } = [];

    /// <summary>For a flow sequence: offset of its closing bracket.</summary>
    public int FlowEnd { get; private set; }

    public override string KindName => "a list";

    public void Close(int endEventStart, int lastChildEnd)
    {
        FlowEnd = endEventStart;
        ContentEnd = IsFlow ? endEventStart + 1 : Math.Max(lastChildEnd, Start);
    }
}

internal sealed class AliasNode : Node
{
    public AliasNode(Mark start, Mark end, string name, Node? target)
        : base(start, null)
    {
        Name = name;
        Target = target;
        ContentEnd = (int)end.Index;
    }

    public string Name { get; }

    /// <summary>The anchored node this alias refers to (the latest definition before it).</summary>
    public Node? Target { get; }

    public override string KindName => "an alias";
}

/// <summary>One document of a stream, with the anchors its aliases use (to tell shared nodes from private ones).</summary>
internal sealed class DocumentTree
{
    public DocumentTree(int index, int line, Node root, HashSet<string> referencedAnchors)
    {
        Index = index;
        Line = line;
        Root = root;
        ReferencedAnchors = referencedAnchors;
    }

    /// <summary>0-based position in the stream.</summary>
    public int Index { get; }

    /// <summary>1-based line where the document starts: its `---` marker, or its first content for an implicit document.</summary>
    public int Line { get; }

    public Node Root { get; }

    public HashSet<string> ReferencedAnchors { get; }

    public bool IsShared(Node node) => node.Anchor is { } anchor && ReferencedAnchors.Contains(anchor);
}
