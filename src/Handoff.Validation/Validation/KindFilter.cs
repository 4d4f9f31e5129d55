using Handoff.Validation.Loading;

namespace Handoff.Validation.Validation;

/// <summary>
/// kubeconform's <c>-skip</c>/<c>-reject</c> matching: an entry is either a bare kind
/// (<c>ReplicationController</c>, any apiVersion) or apiVersion/kind (<c>v1/ReplicationController</c>,
/// <c>apps/v1/Deployment</c>); both are exact and case-sensitive.
/// </summary>
public sealed class KindFilter
{
    private readonly HashSet<string> _entries;

    public KindFilter(IEnumerable<string>? entries)
    {
        _entries = new HashSet<string>(
            (entries ?? []).SelectMany(e => e.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)),
            StringComparer.Ordinal);
    }

    public static KindFilter None { get; } = new(null);

    public bool IsEmpty => _entries.Count == 0;

    public bool Matches(ResourceIdentity identity) =>
        _entries.Count > 0 && identity.Kind is not null && (_entries.Contains(identity.Kind) || _entries.Contains(identity.GroupVersionKind));
}
