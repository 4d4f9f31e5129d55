using System.Text.Json.Nodes;
using Handoff.Policy.Values;

namespace Handoff.Policy.Matching;

/// <summary>The facts of a resource that match/exclude blocks look at, read once per resource (labels only when a selector asks).</summary>
internal sealed class ResourceFacts
{
    private readonly EvaluationContext _context;
    private IReadOnlyDictionary<string, string>? _labels;
    private IReadOnlyDictionary<string, string>? _annotations;
    private IReadOnlyDictionary<string, string>? _namespaceLabels;

    public ResourceFacts(JsonNode resource, EvaluationContext context)
    {
        _context = context;
        Resource = resource;
        Identity = ResourceIdentity.Of(resource);
        (Group, Version) = GroupAndVersion(Identity.ApiVersion);
        Operation = context.Operation;
    }

    public JsonNode Resource { get; }
    public ResourceIdentity Identity { get; }
    public string Group { get; }
    public string Version { get; }
    public IReadOnlyDictionary<string, string> Labels => _labels ??= StringMap(Resource["metadata"]?["labels"]);
    public IReadOnlyDictionary<string, string> Annotations => _annotations ??= StringMap(Resource["metadata"]?["annotations"]);
    public IReadOnlyDictionary<string, string> NamespaceLabels => _namespaceLabels ??= _context.LabelsOfNamespace(Identity.Namespace);
    public string Operation { get; }

    /// <summary>The namespace a namespaces list is compared to: a Namespace's own name, else the resource's namespace.</summary>
    public string NamespaceForMatching => Identity.Kind == "Namespace" ? Identity.Name : Identity.Namespace ?? "";

    // A repository uses a handful of apiVersions; splitting each once saves two strings per resource.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Group, string Version)> ApiVersions = new(StringComparer.Ordinal);

    private static (string Group, string Version) GroupAndVersion(string apiVersion)
    {
        if (ApiVersions.TryGetValue(apiVersion, out var split))
        {
            return split;
        }

        var slash = apiVersion.IndexOf('/');
        split = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        if (ApiVersions.Count < 1024)
        {
            ApiVersions.TryAdd(apiVersion, split);
        }

        return split;
    }

    private static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        if (node is not JsonObject obj || obj.Count == 0)
        {
            return Empty;
        }

        var map = new Dictionary<string, string>(obj.Count, StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            var scalar = GoValue.Of(value);
            map[key] = scalar.Kind == GoKind.String ? scalar.String! : value?.ToJsonString() ?? "";
        }

        return map;
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}

/// <summary>One kinds entry: <c>Pod</c>, <c>apps/v1/Deployment</c>, <c>v1/Pod</c>, <c>*</c>, <c>Pod/status</c>.</summary>
internal readonly record struct KindSelector(string Group, string Version, string Kind, string Subresource)
{
    public static KindSelector Parse(string input)
    {
        var parts = input.Split('/').ToList();
        var last = parts[^1].Split('.');
        parts.RemoveAt(parts.Count - 1);
        parts.AddRange(last);
        switch (parts.Count)
        {
            case 1:
                return new KindSelector("*", "*", parts[0], "");
            case 2:
                if (parts[0] == "*" && parts[1] == "*")
                {
                    return new KindSelector("*", "*", "*", "*");
                }

                if (parts[0] == "*" && parts[1].ToLowerInvariant() == parts[1])
                {
                    return new KindSelector("*", "*", parts[0], parts[1]);
                }

                return IsVersion(parts[0]) ? new KindSelector("*", parts[0], parts[1], "") : new KindSelector("*", "*", parts[0], parts[1]);
            case 3:
                return IsVersion(parts[0]) ? new KindSelector("*", parts[0], parts[1], parts[2]) : new KindSelector(parts[0], parts[1], parts[2], "");
            case 4:
                return new KindSelector(parts[0], parts[1], parts[2], parts[3]);
            default:
                return new KindSelector("", "", "", "");
        }
    }

    private static bool IsVersion(string text) => text == "*" || System.Text.RegularExpressions.Regex.IsMatch(text, @"^v\d+((alpha|beta)\d+)?$");

    public bool Matches(ResourceFacts facts) =>
        Wildcard.Match(Group, facts.Group) && Wildcard.Match(Version, facts.Version) && Wildcard.Match(Kind, facts.Identity.Kind) && Wildcard.Match(Subresource, "");

    /// <summary>The kind part, as Kyverno's ContainsKind compares it for auto-generation.</summary>
    public static string KindName(string input)
    {
        var parts = input.Split('/');
        string kind = parts.Length switch
        {
            1 => input.Replace('.', '/'),
            2 when parts[0] == "*" && parts[1] == "*" => "*/*",
            2 when IsVersion(parts[0]) => parts[1].Replace('.', '/'),
            2 => parts[0] + "/" + parts[1],
            3 when IsVersion(parts[0]) => parts[1] + "/" + parts[2],
            3 => parts[2].Replace('.', '/'),
            4 => parts[2] + "/" + parts[3],
            _ => "",
        };
        var slash = kind.Split('/');
        return slash.Length == 2 ? slash[0] : kind;
    }
}

/// <summary>A label selector (matchLabels with Kyverno's wildcards, matchExpressions).</summary>
internal sealed class LabelSelector
{
    private readonly (string Key, string Value)[] _matchLabels;
    private readonly (string Key, string Operator, string[] Values)[] _expressions;

    public LabelSelector((string, string)[] matchLabels, (string, string, string[])[] expressions)
    {
        _matchLabels = matchLabels;
        _expressions = expressions;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in _matchLabels)
        {
            if (Wildcard.ContainsWildcard(key) || Wildcard.ContainsWildcard(value))
            {
                if (!labels.Any(l => Wildcard.Match(key, l.Key) && Wildcard.Match(value, l.Value)))
                {
                    return false;
                }
            }
            else if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var (key, op, values) in _expressions)
        {
            var present = labels.TryGetValue(key, out var actual);
            var ok = op switch
            {
                "In" => present && values.Contains(actual),
                "NotIn" => !present || !values.Contains(actual),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One <c>resources</c> description plus user info of a match/exclude block.</summary>
internal sealed class ResourceFilter
{
    public KindSelector[] Kinds { get; init; } = [];
    public string[] RawKinds { get; init; } = [];
    public string? Name { get; init; }
    public string[] Names { get; init; } = [];
    public string[] Namespaces { get; init; } = [];
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public LabelSelector? Selector { get; init; }
    public LabelSelector? NamespaceSelector { get; init; }
    public string[] Operations { get; init; } = [];
    public bool HasUserInfo { get; init; }
    public bool HasResourceDescription { get; init; }

    /// <summary>Kyverno's checkResourceDescription (+ user info, which offline never matches).</summary>
    public bool Matches(ResourceFacts facts, bool ignoreUserInfo)
    {
        if (!HasResourceDescription && (ignoreUserInfo || !HasUserInfo))
        {
            return false;
        }

        if (Operations.Length > 0 && Array.IndexOf(Operations, facts.Operation) < 0)
        {
            return false;
        }

        if (Kinds.Length > 0 && !AnyKindMatches(facts))
        {
            return false;
        }

        var name = facts.Identity.Name;
        if (Name is { Length: > 0 } single && !Wildcard.Match(single, name))
        {
            return false;
        }

        if (Names.Length > 0 && !AnyMatches(Names, name))
        {
            return false;
        }

        if (Namespaces.Length > 0 && !AnyMatches(Namespaces, facts.NamespaceForMatching))
        {
            return false;
        }

        if (Annotations is { Count: > 0 })
        {
            foreach (var (key, value) in Annotations)
            {
                if (!facts.Annotations.Any(a => Wildcard.Match(key, a.Key) && Wildcard.Match(value, a.Value)))
                {
                    return false;
                }
            }
        }

        if (Selector is not null && !Selector.Matches(facts.Labels))
        {
            return false;
        }

        if (NamespaceSelector is not null)
        {
            if (facts.Identity.Kind == "Namespace" || !NamespaceSelector.Matches(facts.NamespaceLabels))
            {
                return false;
            }
        }

        // Roles, cluster roles and subjects describe the requesting user, which an offline check does not have.
        return ignoreUserInfo || !HasUserInfo;
    }

    private bool AnyKindMatches(ResourceFacts facts)
    {
        foreach (var kind in Kinds)
        {
            if (kind.Matches(facts))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyMatches(string[] patterns, string value)
    {
        foreach (var pattern in patterns)
        {
            if (Wildcard.Match(pattern, value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A rule's <c>match</c> or <c>exclude</c>: <c>any</c>, <c>all</c>, or the flat <c>resources</c> form.</summary>
internal sealed class MatchBlock
{
    public ResourceFilter[] Any { get; init; } = [];
    public ResourceFilter[] All { get; init; } = [];
    public ResourceFilter? Flat { get; init; }

    public bool IsEmpty => Any.Length == 0 && All.Length == 0 && Flat is null;

    public bool MatchesAsMatch(ResourceFacts facts)
    {
        if (Any.Length > 0)
        {
            return AnyFilterMatches(Any, facts, ignoreUserInfo: true);
        }

        if (All.Length > 0)
        {
            return AllFiltersMatch(All, facts, ignoreUserInfo: true);
        }

        return Flat is not null && Flat.Matches(facts, ignoreUserInfo: true);
    }

    public bool ExcludesResource(ResourceFacts facts)
    {
        if (Any.Length > 0)
        {
            return AnyFilterMatches(Any, facts, ignoreUserInfo: false);
        }

        if (All.Length > 0)
        {
            return AllFiltersMatch(All, facts, ignoreUserInfo: false);
        }

        return Flat is not null && (Flat.HasResourceDescription || Flat.HasUserInfo) && Flat.Matches(facts, ignoreUserInfo: false);
    }

    private static bool AnyFilterMatches(ResourceFilter[] filters, ResourceFacts facts, bool ignoreUserInfo)
    {
        foreach (var filter in filters)
        {
            if (filter.Matches(facts, ignoreUserInfo))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllFiltersMatch(ResourceFilter[] filters, ResourceFacts facts, bool ignoreUserInfo)
    {
        foreach (var filter in filters)
        {
            if (!filter.Matches(facts, ignoreUserInfo))
            {
                return false;
            }
        }

        return true;
    }
}
