namespace Handoff.Oci;

/// <summary>
/// A set of token scopes (<c>repository:team/app:pull,push</c>), merged per resource so a token can
/// be asked for everything a sequence of requests needs.
/// </summary>
internal sealed class ScopeSet
{
    public static readonly ScopeSet Empty = new(new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal));

    private readonly SortedDictionary<string, SortedSet<string>> _actions;

    private ScopeSet(SortedDictionary<string, SortedSet<string>> actions)
    {
        _actions = actions;
        Scopes = _actions.Select(a => $"{a.Key}:{string.Join(',', a.Value)}").ToList();
        Key = string.Join(' ', Scopes);
    }

    public IReadOnlyList<string> Scopes { get; }

    /// <summary>A canonical string of the set, for caching tokens.</summary>
    public string Key { get; }

    public bool IsEmpty => _actions.Count == 0;

    public static ScopeSet Repository(string repository, params string[] actions) => Parse($"repository:{repository}:{string.Join(',', actions)}");

    /// <summary>Parses space-separated scopes as a challenge's scope parameter carries them.</summary>
    public static ScopeSet Parse(string? scopes)
    {
        var result = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var scope in (scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var last = scope.LastIndexOf(':');
            if (last <= 0 || scope.IndexOf(':') == last)
            {
                continue;
            }

            Add(result, scope[..last], scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        return new ScopeSet(result);
    }

    public ScopeSet Union(ScopeSet other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        var result = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (resource, actions) in _actions.Concat(other._actions))
        {
            Add(result, resource, actions);
        }

        return new ScopeSet(result);
    }

    public bool Covers(ScopeSet needed) =>
        needed._actions.All(n => _actions.TryGetValue(n.Key, out var have) && (have.Contains("*") || have.IsSupersetOf(n.Value)));

    public override string ToString() => Key;

    private static void Add(SortedDictionary<string, SortedSet<string>> target, string resource, IEnumerable<string> actions)
    {
        if (!target.TryGetValue(resource, out var set))
        {
            target[resource] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        set.UnionWith(actions);
    }
}
