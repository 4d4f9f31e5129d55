using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Handoff.Policy.Values;

namespace Handoff.Policy.Patterns;

internal enum FailureKind : byte
{
    Plain,
    Conditional,
    Global,
    Negation,
    ArraySkip,
}

internal sealed record PatternFailure(FailureKind Kind, string Path, string Message)
{
    /// <summary>Conditional and global anchor mismatches mean "does not apply" rather than "violates".</summary>
    public bool IsSkip => Kind is FailureKind.Conditional or FailureKind.Global;
}

internal enum PatternOutcome : byte
{
    Pass,
    Fail,
    Skip,
    Error,
}

internal readonly record struct PatternVerdict(PatternOutcome Outcome, string Path, string Message)
{
    public static readonly PatternVerdict Passed = new(PatternOutcome.Pass, "", "");
}

/// <summary>
/// Checks a resource against a compiled pattern with the semantics of Kyverno's <c>validate.MatchPattern</c>:
/// anchors first, conditional/global mismatches skip, negation matches fail, and a failure while an
/// anchored key was never seen in the resource is reported as an error (Kyverno's "missing anchor").
/// </summary>
internal sealed class PatternMatcher
{
    private readonly List<(string? Key, int Index)> _path = new(16);
    private Dictionary<string, bool>? _anchorPresence;

    // One matcher per thread, reused: a match never starts another, and the path list keeps its capacity.
    [ThreadStatic]
    private static PatternMatcher? t_matcher;

    public static PatternMatcher ForThisThread => t_matcher ??= new PatternMatcher();

    public PatternVerdict Check(JsonNode? resource, PatternNode pattern)
    {
        _path.Clear();
        _anchorPresence = null;
        return Run(resource, pattern);
    }

    private PatternVerdict Run(JsonNode? resource, PatternNode pattern)
    {
        var failure = ValidateElement(resource, pattern);
        if (failure is null)
        {
            return PatternVerdict.Passed;
        }

        if (failure.IsSkip)
        {
            return new PatternVerdict(PatternOutcome.Skip, "", failure.Message);
        }

        if (failure.Kind == FailureKind.Negation)
        {
            return new PatternVerdict(PatternOutcome.Fail, failure.Path, failure.Message);
        }

        if (KeysAreMissing() || failure.Path.Length == 0)
        {
            return new PatternVerdict(PatternOutcome.Error, "", failure.Message);
        }

        return new PatternVerdict(PatternOutcome.Fail, failure.Path, failure.Message);
    }

    private bool KeysAreMissing()
    {
        if (_anchorPresence is null)
        {
            return false;
        }

        foreach (var present in _anchorPresence.Values)
        {
            if (!present)
            {
                return true;
            }
        }

        return false;
    }

    private string CurrentPath()
    {
        var builder = new StringBuilder("/");
        foreach (var (key, index) in _path)
        {
            builder.Append(key ?? index.ToString(CultureInfo.InvariantCulture)).Append('/');
        }

        return builder.ToString();
    }

    private PatternFailure? ValidateElement(JsonNode? resource, PatternNode pattern)
    {
        switch (pattern)
        {
            case MapPattern map:
                if (resource is not JsonObject obj)
                {
                    var path = CurrentPath();
                    return new PatternFailure(FailureKind.Plain, path,
                        $"pattern and resource have different structures. Path: {path}. Expected map, found {TypeName(resource)}");
                }

                if (map.HasTrackedAnchors)
                {
                    RecordAnchors(map, obj);
                }

                return ValidateMap(obj, map);
            case ArrayPattern array:
                if (resource is not JsonArray list)
                {
                    var path = CurrentPath();
                    return new PatternFailure(FailureKind.Plain, path, $"validation rule failed at path {path}, resource does not satisfy the expected overlay pattern");
                }

                return ValidateArray(list, array);
            case LeafPattern leaf:
                if (resource is JsonArray values)
                {
                    foreach (var value in values)
                    {
                        if (!leaf.Value.Matches(value))
                        {
                            return ValueMismatch(resource, leaf);
                        }
                    }

                    return null;
                }

                return leaf.Value.Matches(resource) ? null : ValueMismatch(resource, leaf);
            default:
                throw new InvalidOperationException("unknown pattern node");
        }
    }

    private PatternFailure ValueMismatch(JsonNode? resource, LeafPattern leaf)
    {
        var path = CurrentPath();
        return new PatternFailure(FailureKind.Plain, path, $"resource value '{Describe(resource)}' does not match '{leaf.Value.Text}' at path {path}");
    }

    private void RecordAnchors(MapPattern map, JsonObject resource)
    {
        _anchorPresence ??= new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            if (!entry.TracksPresence)
            {
                continue;
            }

            if (_anchorPresence.TryGetValue(entry.RawKey, out var seen) && seen)
            {
                continue;
            }

            _anchorPresence[entry.RawKey] = resource.ContainsKey(entry.Key);
        }
    }

    private PatternFailure? ValidateMap(JsonObject resource, MapPattern map)
    {
        if (map.ExpandsWildcardKeys)
        {
            return ValidateEntries(resource, Expand(map.Anchors, resource)) ?? ValidateEntries(resource, Expand(map.Others, resource));
        }

        return ValidateEntries(resource, map.Anchors) ?? ValidateEntries(resource, map.Others);
    }

    private static IReadOnlyList<PatternEntry> Expand(PatternEntry[] entries, JsonObject resource)
    {
        if (!entries.Any(e => e.KeyHasWildcard))
        {
            return entries;
        }

        var expanded = new List<PatternEntry>(entries.Length);
        foreach (var entry in entries)
        {
            if (!entry.KeyHasWildcard)
            {
                expanded.Add(entry);
                continue;
            }

            var matched = false;
            foreach (var (key, _) in resource)
            {
                if (Wildcard.Match(entry.Key, key))
                {
                    matched = true;
                    expanded.Add(entry with { Key = key });
                }
            }

            if (!matched)
            {
                expanded.Add(entry);
            }
        }

        return expanded;
    }

    private PatternFailure? ValidateEntries(JsonObject resource, IReadOnlyList<PatternEntry> entries)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var failure = Handle(resource, entries[i]);
            if (failure is not null)
            {
                return failure;
            }
        }

        return null;
    }

    private PatternFailure? Handle(JsonObject resource, PatternEntry entry)
    {
        var present = resource.TryGetPropertyValue(entry.Key, out var value);
        switch (entry.Kind)
        {
            case AnchorKind.Condition:
            {
                _path.Add((entry.Key, 0));
                try
                {
                    if (!present)
                    {
                        return new PatternFailure(FailureKind.Conditional, CurrentPath(), "conditional anchor mismatch: conditional anchor key doesn't exist in the resource");
                    }

                    var inner = ValidateElement(value, entry.Value);
                    return inner is null ? null : new PatternFailure(FailureKind.Conditional, inner.Path, "conditional anchor mismatch: " + inner.Message);
                }
                finally
                {
                    _path.RemoveAt(_path.Count - 1);
                }
            }

            case AnchorKind.Global:
            {
                if (!present)
                {
                    return null;
                }

                _path.Add((entry.Key, 0));
                try
                {
                    var inner = ValidateElement(value, entry.Value);
                    return inner is null ? null : new PatternFailure(FailureKind.Global, inner.Path, "global anchor mismatch: " + inner.Message);
                }
                finally
                {
                    _path.RemoveAt(_path.Count - 1);
                }
            }

            case AnchorKind.Equality:
            {
                if (!present)
                {
                    return null;
                }

                _path.Add((entry.Key, 0));
                try
                {
                    return ValidateElement(value, entry.Value);
                }
                finally
                {
                    _path.RemoveAt(_path.Count - 1);
                }
            }

            case AnchorKind.Negation:
            {
                if (!present)
                {
                    return null;
                }

                _path.Add((entry.Key, 0));
                var path = CurrentPath();
                _path.RemoveAt(_path.Count - 1);
                return new PatternFailure(FailureKind.Negation, path, $"negation anchor matched in resource: {path} is not allowed");
            }

            case AnchorKind.Existence:
                return present ? ValidateExistence(value, entry) : null;
            default:
            {
                if (entry.Value is LeafPattern { Value.IsStar: true })
                {
                    if (value is not null)
                    {
                        return null;
                    }

                    var parent = CurrentPath();
                    return new PatternFailure(FailureKind.Plain, parent, $"{parent}/{entry.Key} not found");
                }

                _path.Add((entry.Key, 0));
                try
                {
                    return ValidateElement(value, entry.Value);
                }
                finally
                {
                    _path.RemoveAt(_path.Count - 1);
                }
            }
        }
    }

    private PatternFailure? ValidateExistence(JsonNode? value, PatternEntry entry)
    {
        _path.Add((entry.Key, 0));
        try
        {
            var path = CurrentPath();
            if (value is not JsonArray list)
            {
                return new PatternFailure(FailureKind.Plain, path, $"invalid resource type {TypeName(value)}: Existence ^ () anchor can be used only on list/array type resource");
            }

            if (entry.Value is not ArrayPattern patterns)
            {
                return new PatternFailure(FailureKind.Plain, path, "invalid pattern type: Pattern has to be of list to compare against resource");
            }

            foreach (var item in patterns.Items)
            {
                if (item is not MapPattern map)
                {
                    return new PatternFailure(FailureKind.Plain, path, "invalid pattern type: Pattern has to be of type map to compare against items in resource");
                }

                var satisfied = false;
                for (var i = 0; i < list.Count && !satisfied; i++)
                {
                    _path.Add((null, i));
                    satisfied = ValidateElement(list[i], map) is null;
                    _path.RemoveAt(_path.Count - 1);
                }

                if (!satisfied)
                {
                    return new PatternFailure(FailureKind.Plain, path, $"existence anchor validation failed at path {path}");
                }
            }

            return null;
        }
        finally
        {
            _path.RemoveAt(_path.Count - 1);
        }
    }

    private PatternFailure? ValidateArray(JsonArray resource, ArrayPattern pattern)
    {
        if (pattern.Items.Length == 0)
        {
            return new PatternFailure(FailureKind.Plain, CurrentPath(), "pattern Array empty");
        }

        switch (pattern.Items[0])
        {
            case MapPattern map:
                return ValidateArrayOfMaps(resource, map);
            case LeafPattern leaf:
                return ValidateElement(resource, leaf);
        }

        if (resource.Count < pattern.Items.Length)
        {
            return new PatternFailure(FailureKind.Plain, "",
                $"validate Array failed, array length mismatch, resource Array len is {resource.Count} and pattern Array len is {pattern.Items.Length}");
        }

        var applied = 0;
        List<string>? skips = null;
        for (var i = 0; i < pattern.Items.Length; i++)
        {
            _path.Add((null, i));
            var failure = ValidateElement(resource[i], pattern.Items[i]);
            _path.RemoveAt(_path.Count - 1);
            if (failure is not null)
            {
                if (failure.IsSkip)
                {
                    (skips ??= []).Add(failure.Message);
                    continue;
                }

                return failure;
            }

            applied++;
        }

        return applied == 0 && skips is not null ? new PatternFailure(FailureKind.ArraySkip, CurrentPath(), string.Join("; ", skips)) : null;
    }

    private PatternFailure? ValidateArrayOfMaps(JsonArray resource, MapPattern map)
    {
        var applied = 0;
        List<string>? skips = null;
        for (var i = 0; i < resource.Count; i++)
        {
            _path.Add((null, i));
            var failure = ValidateElement(resource[i], map);
            _path.RemoveAt(_path.Count - 1);
            if (failure is not null)
            {
                if (failure.IsSkip)
                {
                    (skips ??= []).Add(failure.Message);
                    continue;
                }

                return failure;
            }

            applied++;
        }

        // Kyverno returns a plain (non-anchor) error here, so an enclosing non-anchored key turns it into a failure.
        return applied == 0 && skips is not null ? new PatternFailure(FailureKind.ArraySkip, CurrentPath(), string.Join("; ", skips)) : null;
    }

    private static string TypeName(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject => "map",
        JsonArray => "list",
        _ => GoValue.Of(node).Kind.ToString().ToLowerInvariant(),
    };

    private static string Describe(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonValue v when GoValue.Of(v) is { Kind: GoKind.String } s => s.String!,
        _ => node.ToJsonString(),
    };
}
