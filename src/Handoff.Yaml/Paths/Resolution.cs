using Handoff.Yaml.Tree;

namespace Handoff.Yaml.Paths;

/// <summary>One node on a resolved path: the entry's key (null for the root and list items) and its value.</summary>
internal sealed record PathStep(Node? Key, Node Value, string Display);

/// <summary>What resolving a path in one document gave.</summary>
internal abstract record Resolution(DocumentTree Document);

/// <summary>The whole path exists; <see cref="Steps"/> runs from the document root to the target.</summary>
internal sealed record Found(DocumentTree Document, IReadOnlyList<PathStep> Steps) : Resolution(Document)
{
    public PathStep Target => Steps[^1];
}

/// <summary>The path stops existing after <see cref="Depth"/> segments.</summary>
internal sealed record Missing(DocumentTree Document, int Depth, YamlEditException Error) : Resolution(Document);

/// <summary>The path reaches this document but cannot be used safely (alias, shared anchor, merge key, duplicate key).</summary>
internal sealed record Blocked(DocumentTree Document, YamlEditException Error) : Resolution(Document);
