using System.Collections.Concurrent;
using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Repository;
using Handoff.Validation.Loading;
using Handoff.Validation.Schemas;
using Handoff.Validation.Validation;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// One schema registry (and validator) per Kubernetes version the targets are validated for, so each
/// resource type is fetched and compiled once per version however many targets use it.
/// </summary>
internal sealed class SchemaRegistries : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ManifestValidator>> _validators = new(StringComparer.Ordinal);
    private readonly SchemaRegistryOptions _template;
    private readonly ManifestValidatorOptions _validatorOptions;
    private readonly IReadOnlyList<ManifestDocument> _crds;

    private SchemaRegistries(SchemaRegistryOptions template, ManifestValidatorOptions validatorOptions, IReadOnlyList<ManifestDocument> crds)
    {
        _template = template;
        _validatorOptions = validatorOptions;
        _crds = crds;
    }

    /// <summary>
    /// Checks the settings by building the registry for every version up front, so a bad location or
    /// version is one configuration error rather than a failure per target.
    /// </summary>
    public static SchemaRegistries Create(DeliveryRepository repository, ValidationConfig validation, ValidateDeliveryOptions options, IEnumerable<string> versions, ManifestLoader loader, int parallelism, List<string> warnings)
    {
        var locations = (options.SchemaLocations is { Count: > 0 } given ? given : validation.SchemaLocations)
            .Select(location => Resolve(repository, location))
            .DefaultIfEmpty(KubernetesSchemaRegistry.DefaultLocationName)
            .ToList();
        var crdPaths = validation.Crds.Select(repository.FullPath).ToList();
        var crds = new List<ManifestDocument>();
        if (crdPaths.Count > 0)
        {
            var load = loader.Load(crdPaths);
            crds.AddRange(load.Documents);
            warnings.AddRange(load.Errors.Select(e => $"{repository.Scrub(e.ToString())} (in validation.crds; ignored)"));
        }

        var registries = new SchemaRegistries(
            new SchemaRegistryOptions
            {
                Locations = locations,
                Strict = options.Strict ?? validation.Strict,
                Download = new SchemaDownloadOptions { Timeout = options.SchemaDownloadTimeout, CacheDirectory = options.SchemaCacheDirectory },
            },
            new ManifestValidatorOptions
            {
                Skip = new KindFilter(validation.SkipKinds),
                IgnoreMissingSchemas = validation.IgnoreMissingSchemas,
                MaxDegreeOfParallelism = parallelism,
            },
            crds);
        try
        {
            foreach (var version in versions.Distinct(StringComparer.Ordinal))
            {
                registries.For(version);
            }
        }
        catch
        {
            registries.Dispose();
            throw;
        }

        return registries;
    }

    public ManifestValidator For(ClusterVersion version) => For(version.KubeVersion ?? "master");

    private ManifestValidator For(string version) => _validators.GetOrAdd(version, v => new Lazy<ManifestValidator>(() =>
    {
        var registry = new KubernetesSchemaRegistry(_template with { KubernetesVersion = v });
        registry.AddCustomResourceDefinitions(_crds);
        return new ManifestValidator(registry, _validatorOptions);
    })).Value;

    private static string Resolve(DeliveryRepository repository, string location) =>
        location == KubernetesSchemaRegistry.DefaultLocationName || location.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(location)
            ? location
            : repository.FullPath(location);

    public void Dispose()
    {
        foreach (var validator in _validators.Values.Where(v => v.IsValueCreated))
        {
            validator.Value.Registry.Dispose();
        }
    }
}
