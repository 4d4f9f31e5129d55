using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Handoff.Policy.Values;

namespace Handoff.Policy.Patterns;

internal enum AnchorKind : byte
{
    None,
    Condition,
    Equality,
    Existence,
    Negation,
    Global,
}

/// <summary>A validation pattern compiled once: anchors parsed, leaves pre-parsed, evaluation order fixed.</summary>
internal abstract class PatternNode
{
    /// <summary>True when this node or a descendant map carries an anchor (such keys are evaluated first, as Kyverno does).</summary>
    public abstract bool HasAnchors { get; }
}

internal sealed class LeafPattern(ValuePattern value) : PatternNode
{
    public ValuePattern Value { get; } = value;

    public override bool HasAnchors => false;
}

internal sealed class ArrayPattern(PatternNode[] items) : PatternNode
{
    public PatternNode[] Items { get; } = items;

    public override bool HasAnchors { get; } = items.Any(i => i.HasAnchors);
}

internal sealed record PatternEntry(string RawKey, AnchorKind Kind, string Key, PatternNode Value)
{
    /// <summary>Conditional, existence and negation anchors are remembered to tell "key missing" errors apart, like Kyverno's anchor map.</summary>
    public bool TracksPresence => Kind is AnchorKind.Condition or AnchorKind.Existence or AnchorKind.Negation;

    public bool KeyHasWildcard { get; } = Wildcard.ContainsWildcard(Key);
}

internal sealed class MapPattern : PatternNode
{
    public MapPattern(IReadOnlyList<PatternEntry> entries, bool expandsWildcardKeys)
    {
        Entries = entries.ToArray();
        // Anchors first, in key order; then global anchors and keys with nested anchors; then plain keys.
        Anchors = Entries.Where(e => e.Kind is AnchorKind.Condition or AnchorKind.Existence or AnchorKind.Equality or AnchorKind.Negation)
            .OrderBy(e => e.RawKey, StringComparer.Ordinal).ToArray();
        Others = Entries.Where(e => e.Kind is AnchorKind.None or AnchorKind.Global && (e.Kind == AnchorKind.Global || e.Value.HasAnchors))
            .Concat(Entries.Where(e => e.Kind == AnchorKind.None && !e.Value.HasAnchors)).ToArray();
        ExpandsWildcardKeys = expandsWildcardKeys && Entries.Any(e => e.KeyHasWildcard);
        HasAnchors = Entries.Any(e => e.Kind != AnchorKind.None || e.Value.HasAnchors);
        HasTrackedAnchors = Entries.Any(e => e.TracksPresence);
    }

    public PatternEntry[] Entries { get; }
    public PatternEntry[] Anchors { get; }
    public PatternEntry[] Others { get; }

    /// <summary>This map is <c>metadata.labels</c> or <c>metadata.annotations</c> with wildcard keys, expanded against the resource's keys.</summary>
    public bool ExpandsWildcardKeys { get; }

    public bool HasTrackedAnchors { get; }

    public override bool HasAnchors { get; }
}

/// <summary>Turns the JSON of a <c>pattern</c> into a <see cref="PatternNode"/> tree.</summary>
internal static partial class PatternCompiler
{
    public static PatternNode Compile(JsonNode? pattern) => Compile(pattern, insideMetadata: false, parentKey: null);

    private static PatternNode Compile(JsonNode? pattern, bool insideMetadata, string? parentKey)
    {
        switch (pattern)
        {
            case JsonObject obj:
            {
                var entries = new List<PatternEntry>(obj.Count);
                foreach (var (rawKey, value) in obj)
                {
                    var (kind, key) = ParseAnchor(rawKey);
                    entries.Add(new PatternEntry(rawKey, kind, key, Compile(value, parentKey == "metadata", key)));
                }

                var isMetadataTags = insideMetadata && parentKey is "labels" or "annotations";
                return new MapPattern(entries, isMetadataTags);
            }

            case JsonArray array:
                return new ArrayPattern(array.Select(item => Compile(item, false, null)).ToArray());
            default:
                return new LeafPattern(ValuePattern.Compile(pattern));
        }
    }

    /// <summary>Splits <c>=(key)</c>, <c>X(key)</c>, <c>^(key)</c>, <c>&lt;(key)</c> and <c>(key)</c> into the anchor and the key.</summary>
    public static (AnchorKind Kind, string Key) ParseAnchor(string rawKey)
    {
        var match = AnchorRegex().Match(rawKey);
        if (!match.Success)
        {
            return (AnchorKind.None, rawKey);
        }

        var kind = match.Groups[1].Value switch
        {
            "" => AnchorKind.Condition,
            "=" => AnchorKind.Equality,
            "^" => AnchorKind.Existence,
            "X" => AnchorKind.Negation,
            "<" => AnchorKind.Global,
            _ => AnchorKind.None,
        };
        return kind == AnchorKind.None ? (AnchorKind.None, rawKey) : (kind, match.Groups[2].Value);
    }

    [GeneratedRegex(@"^([+<=X^])?\((.+)\)$")]
    private static partial Regex AnchorRegex();
}
