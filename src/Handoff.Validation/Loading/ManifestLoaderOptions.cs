namespace Handoff.Validation.Loading;

/// <summary>How <see cref="ManifestLoader"/> reads files.</summary>
public sealed record ManifestLoaderOptions
{
    public static ManifestLoaderOptions Default { get; } = new();

    /// <summary>A key repeated in one mapping is an error (kubeconform's strict mode) instead of "last one wins".</summary>
    public bool DuplicateKeysAreErrors { get; init; }

    /// <summary>Documents without a string <c>kind</c> and <c>apiVersion</c> become errors (they are not Kubernetes objects).</summary>
    public bool RequireKindAndApiVersion { get; init; } = true;

    /// <summary>A <c>kind: List</c> yields its items, as kubectl and kubeconform treat it.</summary>
    public bool ExpandLists { get; init; } = true;

    /// <summary>File name endings read when a directory is given (files named explicitly are always read).</summary>
    public IReadOnlyList<string> Extensions { get; init; } = [".yaml", ".yml", ".json"];

    public LoaderLimits Limits { get; init; } = LoaderLimits.Default;

    /// <summary>Documents are parsed in parallel up to this many at a time.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}
