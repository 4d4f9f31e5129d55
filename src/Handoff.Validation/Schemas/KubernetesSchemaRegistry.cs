using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Handoff.Validation.Loading;

namespace Handoff.Validation.Schemas;

/// <summary>Where schemas are looked up and how they are prepared.</summary>
public sealed record SchemaRegistryOptions
{
    /// <summary>
    /// Tried in order; each is a folder, a path template ending in <c>.json</c>, an http(s) URL (template),
    /// or <c>default</c> (kubeconform's default location). A URL without <c>.json</c> at the end gets
    /// kubeconform's layout appended: <c>/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json</c>.
    /// </summary>
    public IReadOnlyList<string> Locations { get; init; } = [KubernetesSchemaRegistry.DefaultLocationName];

    /// <summary>"1.34.0"-style, or "master".</summary>
    public string KubernetesVersion { get; init; } = "master";

    /// <summary>Unknown properties are errors (and strict variants are requested through <c>{{ .StrictSuffix }}</c>).</summary>
    public bool Strict { get; init; }

    public SchemaDownloadOptions Download { get; init; } = new();
}

public enum SchemaLookupStatus
{
    Found,
    Missing,
    Failed,
}

/// <summary>The outcome of looking a resource type up in every location.</summary>
public sealed record SchemaLookup(SchemaLookupStatus Status, CompiledSchema? Schema, string? Problem, ManifestErrorKind ErrorKind, IReadOnlyList<string> Tried);

/// <summary>
/// Finds, prepares and caches the JSON schema for each resource type: CRD-generated schemas first, then
/// the configured locations in order (404 / missing file: try the next; a download failure or a broken
/// schema: an error for the resources of that type). Each type is resolved and compiled once per
/// registry, whatever the number of resources or threads.
/// </summary>
public sealed partial class KubernetesSchemaRegistry : IDisposable
{
    public const string DefaultLocationName = "default";

    public const string DefaultLocation =
        "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json";

    private const string KubeconformLayout = "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json";

    private readonly ConcurrentDictionary<SchemaKey, Lazy<SchemaLookup>> _cache = new();
    private readonly SchemaDownloader _downloader;
    private readonly SchemaRegistryOptions _options;
    private readonly KubernetesSchemaRegistry? _shared;

    public KubernetesSchemaRegistry(SchemaRegistryOptions options)
    {
        _options = options;
        if (options.KubernetesVersion != "master" && !KubernetesVersionPattern().IsMatch(options.KubernetesVersion))
        {
            throw new HandoffException($"Kubernetes version '{options.KubernetesVersion}' is not valid: write it as MAJOR.MINOR.PATCH (e.g. 1.34.0) or 'master'.");
        }

        _downloader = new SchemaDownloader(options.Download);
        Locations = options.Locations.Select(CreateSource).ToList();
    }

    /// <summary>
    /// A registry with CustomResourceDefinitions of its own (one cluster's) over <paramref name="shared"/>'s
    /// locations: types its CRDs do not define are looked up, downloaded and compiled once, in
    /// <paramref name="shared"/>, for every registry made over it. Disposing it leaves <paramref name="shared"/> open.
    /// </summary>
    public static KubernetesSchemaRegistry Over(KubernetesSchemaRegistry shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        return new KubernetesSchemaRegistry(shared, 0);
    }

    // A factory rather than a public constructor: `new KubernetesSchemaRegistry(new() { … })` must stay unambiguous.
    private KubernetesSchemaRegistry(KubernetesSchemaRegistry shared, int _)
    {
        _shared = shared;
        _options = shared._options;
        _downloader = shared._downloader;
        Locations = shared.Locations;
    }

    public SchemaRegistryOptions Options => _options;

    /// <summary>Schemas generated from CustomResourceDefinitions, consulted before the locations.</summary>
    public CrdSchemaSource CustomResources { get; } = new();

    /// <summary>
    /// Makes the CRDs among <paramref name="documents"/> the schemas of their custom resources. A type
    /// looked up earlier (and perhaps found missing) is looked up again.
    /// </summary>
    public void AddCustomResourceDefinitions(IEnumerable<ManifestDocument> documents)
    {
        foreach (var key in CustomResources.Add(documents))
        {
            _cache.TryRemove(key, out _);
        }
    }

    public IReadOnlyList<ISchemaSource> Locations { get; }

    public SchemaLookup Resolve(SchemaKey key) =>
        _cache.GetOrAdd(key, k => new Lazy<SchemaLookup>(() => Lookup(k), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private SchemaLookup Lookup(SchemaKey key)
    {
        if (_shared is not null)
        {
            return CustomResources.Contains(key) ? LookupIn([CustomResources], key) : _shared.Resolve(key);
        }

        return LookupIn(Locations.Prepend(CustomResources), key);
    }

    private SchemaLookup LookupIn(IEnumerable<ISchemaSource> sources, SchemaKey key)
    {
        var values = SchemaTemplateValues.For(key, _options.KubernetesVersion, _options.Strict);
        var tried = new List<string>();
        foreach (var source in sources)
        {
            var fetched = source.Fetch(key, values);
            switch (fetched.Status)
            {
                case SchemaFetchStatus.NotFound:
                    if (source != CustomResources)
                    {
                        tried.Add(fetched.Where);
                    }

                    continue;
                case SchemaFetchStatus.Failed:
                    return new SchemaLookup(SchemaLookupStatus.Failed, null, $"{fetched.Where}: {fetched.Problem}", fetched.ErrorKind, tried);
            }

            if (DescribesOtherKind(fetched.Schema!, key.Kind))
            {
                // kubeconform does the same: a file at the expected name that is for another kind is not this kind's schema.
                tried.Add(fetched.Where + " (describes another kind)");
                continue;
            }

            try
            {
                var schema = CompiledSchema.Compile(fetched.Schema!, fetched.Where, _options.Strict, openApi: source == CustomResources);
                return new SchemaLookup(SchemaLookupStatus.Found, schema, null, default, tried);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return new SchemaLookup(SchemaLookupStatus.Failed, null,
                    $"{fetched.Where}: the schema cannot be used ({ex.Message}). Fix or replace the schema file.", ManifestErrorKind.SchemaInvalid, tried);
            }
        }

        return new SchemaLookup(SchemaLookupStatus.Missing, null, null, ManifestErrorKind.SchemaNotFound, tried);
    }

    private static bool DescribesOtherKind(JsonNode schema, string kind) =>
        schema["properties"]?["kind"]?["enum"] is JsonArray kinds && kinds.Count > 0
        && kinds[0] is JsonValue first && first.TryGetValue<string>(out var declared) && declared != kind;

    private ISchemaSource CreateSource(string location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new HandoffException("An empty schema location was given. Pass a folder, a path template ending in .json, a URL, or 'default'.");
        }

        if (location == DefaultLocationName)
        {
            return new HttpSchemaSource(DefaultLocation, _downloader);
        }

        if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var template = location.EndsWith("json", StringComparison.Ordinal) ? location : location.TrimEnd('/') + KubeconformLayout;
            return new HttpSchemaSource(template, _downloader);
        }

        var path = location.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? location["file://".Length..] : location;
        return path.EndsWith("json", StringComparison.Ordinal) ? LocalSchemaSource.ForTemplate(path) : LocalSchemaSource.ForFolder(path);
    }

    public void Dispose()
    {
        if (_shared is null)
        {
            _downloader.Dispose();
        }
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex KubernetesVersionPattern();
}
