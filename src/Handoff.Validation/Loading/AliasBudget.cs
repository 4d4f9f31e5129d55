using YamlDotNet.Core;

namespace Handoff.Validation.Loading;

/// <summary>
/// Caps alias expansion so a "billion laughs" document fails fast instead of exhausting memory. The
/// allowance grows with the document's own size: legitimate anchors (shared labels, merge defaults)
/// stay well inside ten times what they expand.
/// </summary>
internal sealed class AliasBudget(int ownBytes, LoaderLimits limits)
{
    private long _nodes;
    private long _bytes;

    public void Spend(long nodes, long bytes, long ownNodes, Mark at)
    {
        _nodes += nodes;
        _bytes += bytes;
        var nodeLimit = Math.Max(limits.AliasMinimumNodes, limits.AliasExpansionFactor * ownNodes);
        var byteLimit = Math.Max(limits.AliasMinimumBytes, limits.AliasExpansionFactor * (long)ownBytes);
        if (_nodes > nodeLimit || _bytes > byteLimit)
        {
            throw new YamlConversionException(ManifestErrorKind.AliasLimitExceeded, at,
                $"aliases expand this document beyond {limits.AliasExpansionFactor}x its own size ({_nodes:N0} nodes, {_bytes:N0} bytes so far): " +
                "this looks like an alias bomb (\"billion laughs\"). Expand the anchors by hand or remove the nested aliases.");
        }
    }

    public long ExpandedNodes => _nodes;
}

/// <summary>Limits that keep hostile input from exhausting memory or the stack.</summary>
public sealed record LoaderLimits
{
    public static LoaderLimits Default { get; } = new();

    /// <summary>Aliases may expand a document to this many times its own node count and byte size.</summary>
    public int AliasExpansionFactor { get; init; } = 10;

    /// <summary>Expansion always allowed regardless of document size (small documents with a few anchors).</summary>
    public long AliasMinimumNodes { get; init; } = 10_000;

    public long AliasMinimumBytes { get; init; } = 1 << 20;

    /// <summary>Deepest nesting of mappings and sequences accepted.</summary>
    public int MaxDepth { get; init; } = 512;

    /// <summary>Kubernetes' (etcd's) request size limit: the API server rejects a larger object.</summary>
    public const long KubernetesObjectBytes = 1_572_864;

    /// <summary>
    /// A document larger than this (in bytes, as written) is an error without being parsed: the API server
    /// would reject it, and a tree for it would cost memory for nothing. Null: no limit. <c>kind: List</c>
    /// documents are exempt, as their items are applied one by one.
    /// </summary>
    public long? MaxObjectBytes { get; init; } = KubernetesObjectBytes;
}
