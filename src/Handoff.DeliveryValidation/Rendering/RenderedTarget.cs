using Handoff.DeliveryValidation.Scope;
using Handoff.Validation.Loading;

namespace Handoff.DeliveryValidation.Rendering;

/// <summary>
/// A target's manifests as the controller would apply them, loaded once: the schema and policy checks
/// share these documents (and their parsed trees). <see cref="Load"/> is null when nothing could be
/// rendered (no render settings, missing inputs, or the tool failed).
/// </summary>
internal sealed class RenderedTarget(ScopedTarget scoped, ManifestLoadResult? load, SourceLocator locator)
{
    public ScopedTarget Scoped { get; } = scoped;

    public Target Target => Scoped.Target;

    public ManifestLoadResult? Load { get; } = load;

    public SourceLocator Locator { get; } = locator;

    public IReadOnlyList<ManifestDocument> Documents { get; } = load?.Documents.ToList() ?? [];

    /// <summary>
    /// The deployed objects in a comparable form: their JSON, sorted. Two renders deploy the same thing
    /// exactly when these are equal (comments, quoting and document order do not matter).
    /// </summary>
    public IReadOnlyList<string> Fingerprint() =>
        Load is null ? [] : Documents.Select(d => d.Element.GetRawText()).Order(StringComparer.Ordinal).ToList();
}
