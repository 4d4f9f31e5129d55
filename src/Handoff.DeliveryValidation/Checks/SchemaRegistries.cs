using System.Collections.Concurrent;
using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Repository;
using Handoff.Validation.Loading;
using Handoff.Validation.Schemas;
using Handoff.Validation.Validation;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// One schema registry per Kubernetes version the targets are validated for, so each resource type is
/// fetched and compiled once per version however many targets use it; over it, one validator per
/// environment (a cluster) whose custom resource schemas are that cluster's CRDs: validation.crds, then
/// the CRDs every app renders into the environment, all added in a fixed order before anything is
/// validated, so the verdicts do not depend on which target happens to be checked first.
/// </summary>
internal sealed class SchemaRegistries : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<KubernetesSchemaRegistry>> _shared = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Version, string Environment), Lazy<ManifestValidator>> _validators = new();
    private readonly SchemaRegistryOptions _template;
    private readonly ManifestValidatorOptions _validatorOptions;
    private readonly IReadOnlyList<ManifestDocument> _crds;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<ManifestDocument>> _renderedCrds;

    private SchemaRegistries(SchemaRegistryOptions template, ManifestValidatorOptions validatorOptions, IReadOnlyList<ManifestDocument> crds, IReadOnlyDictionary<string, IReadOnlyList<ManifestDocument>> renderedCrds)
    {
        _template = template;
        _validatorOptions = validatorOptions;
        _crds = crds;
        _renderedCrds = renderedCrds;
    }

    /// <summary>
    /// Checks the settings by building the registry for every version up front, so a bad location or
    /// version is one configuration error rather than a failure per target.
    /// </summary>
    /// <param name="renderedCrds">Per environment, the CRDs its apps render, in catalog order (later ones replace earlier ones of the same type).</param>
    public static SchemaRegistries Create(DeliveryRepository repository, ValidationConfig validation, ValidateDeliveryOptions options, IEnumerable<string> versions,
        IReadOnlyDictionary<string, IReadOnlyList<ManifestDocument>> renderedCrds, ManifestLoader loader, int parallelism, List<string> warnings)
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
                CrdsFromInputs = false,
            },
            crds,
            renderedCrds);
        try
        {
            foreach (var version in versions.Distinct(StringComparer.Ordinal))
            {
                registries.Shared(version);
            }
        }
        catch
        {
            registries.Dispose();
            throw;
        }

        return registries;
    }

    /// <summary>The validator for <paramref name="environment"/>'s cluster at <paramref name="version"/>.</summary>
    public ManifestValidator For(ClusterVersion version, string environment) =>
        _validators.GetOrAdd((version.KubeVersion ?? "master", environment), key => new Lazy<ManifestValidator>(() =>
        {
            var registry = KubernetesSchemaRegistry.Over(Shared(key.Version));
            registry.AddCustomResourceDefinitions(_crds);
            registry.AddCustomResourceDefinitions(_renderedCrds.GetValueOrDefault(key.Environment) ?? []);
            return new ManifestValidator(registry, _validatorOptions);
        })).Value;

    private KubernetesSchemaRegistry Shared(string version) =>
        _shared.GetOrAdd(version, v => new Lazy<KubernetesSchemaRegistry>(() => new KubernetesSchemaRegistry(_template with { KubernetesVersion = v }))).Value;

    private static string Resolve(DeliveryRepository repository, string location) =>
        location == KubernetesSchemaRegistry.DefaultLocationName || location.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(location)
            ? location
            : repository.FullPath(location);

    public void Dispose()
    {
        foreach (var registry in _shared.Values.Where(v => v.IsValueCreated))
        {
            registry.Value.Dispose();
        }
    }
}
