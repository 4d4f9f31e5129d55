using System.Text.Json.Nodes;
using Handoff.Policy.Values;

namespace Handoff.Policy.Matching;

/// <summary>The facts of a resource that match/exclude blocks look at, read once per resource.</summary>
internal sealed class ResourceFacts
{
    public ResourceFacts(JsonNode resource, EvaluationContext context)
    {
        Resource = resource;
        Identity = ResourceIdentity.Of(resource);
        var apiVersion = Identity.ApiVersion;
        var slash = apiVersion.IndexOf('/');
        Group = slash < 0 ? "" : apiVersion[..slash];
        Version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        Labels = StringMap(resource["metadata"]?["labels"]);
        Annotations = StringMap(resource["metadata"]?["annotations"]);
        NamespaceLabels = context.LabelsOfNamespace(Identity.Namespace);
        Operation = context.Operation;
    }

    public JsonNode Resource { get; }
    public ResourceIdentity Identity { get; }
    public string Group { get; }
    public string Version { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public IReadOnlyDictionary<string, string> Annotations { get; }
    public IReadOnlyDictionary<string, string> NamespaceLabels { get; }
    public string Operation { get; }

    /// <summary>The namespace a namespaces list is compared to: a Namespace's own name, else the resource's namespace.</summary>
    public string NamespaceForMatching => Identity.Kind == "Namespace" ? Identity.Name : Identity.Namespace ?? "";

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

        if (Operations.Length > 0 && !Operations.Contains(facts.Operation, StringComparer.Ordinal))
        {
            return false;
        }

        if (Kinds.Length > 0 && !Kinds.Any(k => k.Matches(facts)))
        {
            return false;
        }

        var name = facts.Identity.Name;
        if (Name is { Length: > 0 } single && !Wildcard.Match(single, name))
        {
            return false;
        }

        if (Names.Length > 0 && !Names.Any(n => Wildcard.Match(n, name)))
        {
            return false;
        }

        if (Namespaces.Length > 0 && !Namespaces.Any(n => Wildcard.Match(n, facts.NamespaceForMatching)))
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
            return Any.Any(f => f.Matches(facts, ignoreUserInfo: true));
        }

        if (All.Length > 0)
        {
            return All.All(f => f.Matches(facts, ignoreUserInfo: true));
        }

        return Flat is not null && Flat.Matches(facts, ignoreUserInfo: true);
    }

    public bool ExcludesResource(ResourceFacts facts)
    {
        if (Any.Length > 0)
        {
            return Any.Any(f => f.Matches(facts, ignoreUserInfo: false));
        }

        if (All.Length > 0)
        {
            return All.All(f => f.Matches(facts, ignoreUserInfo: false));
        }

        return Flat is not null && (Flat.HasResourceDescription || Flat.HasUserInfo) && Flat.Matches(facts, ignoreUserInfo: false);
    }
}
