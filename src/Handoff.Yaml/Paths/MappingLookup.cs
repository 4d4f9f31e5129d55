using Handoff.Yaml.Tree;

namespace Handoff.Yaml.Paths;

/// <summary>Finds keys in a mapping by value (whatever their quoting), noticing duplicates and merge keys.</summary>
internal static class MappingLookup
{
    private const int MaxMergeDepth = 16;

    public readonly record struct Entry(Node Key, Node Value);

    /// <summary>The entry with this key, or null; <paramref name="duplicate"/> is a second entry with the same key.</summary>
    public static Entry? Find(MappingNode mapping, string key, out Entry? duplicate)
    {
        Entry? found = null;
        duplicate = null;
        foreach (var (k, v) in mapping.Entries)
        {
            if (k is ScalarNode scalar && scalar.Value == key && !IsMergeKey(scalar))
            {
                if (found is null)
                {
                    found = new Entry(k, v);
                }
                else
                {
                    duplicate ??= new Entry(k, v);
                }
            }
        }

        return found;
    }

    /// <summary>The first merge key (<c>&lt;&lt;</c>) entry of the mapping, or null.</summary>
    public static Entry? MergeEntry(MappingNode mapping)
    {
        foreach (var (k, v) in mapping.Entries)
        {
            if (k is ScalarNode scalar && IsMergeKey(scalar))
            {
                return new Entry(k, v);
            }
        }

        return null;
    }

    /// <summary>The value a merge key supplies for <paramref name="key"/>, following YAML's precedence (first source wins).</summary>
    public static Entry? FindMerged(MappingNode mapping, string key) => FindMerged(mapping, key, 0);

    private static Entry? FindMerged(MappingNode mapping, string key, int depth)
    {
        if (depth > MaxMergeDepth || MergeEntry(mapping) is not { } merge)
        {
            return null;
        }

        var sources = merge.Value is SequenceNode list ? list.Items : [merge.Value];
        foreach (var source in sources)
        {
            if (Dereference(source) is MappingNode sourceMapping)
            {
                if (Find(sourceMapping, key, out _) is { } own)
                {
                    return own;
                }

                if (FindMerged(sourceMapping, key, depth + 1) is { } inherited)
                {
                    return inherited;
                }
            }
        }

        return null;
    }

    public static Node Dereference(Node node)
    {
        var hops = 0;
        while (node is AliasNode { Target: { } target } && hops++ < MaxMergeDepth)
        {
            node = target;
        }

        return node;
    }

    public static bool IsMergeKey(ScalarNode key) =>
        key.Value == "<<" && key.Style == YamlDotNet.Core.ScalarStyle.Plain && key.Tag is null or "tag:yaml.org,2002:merge";
}
